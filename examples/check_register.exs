# A register with a planted bug, found by `Lockstep.Generator.check/3`.
#
# An ExUnit test a user can copy into test/: each iteration builds a
# register workload for three workers from its seed, runs it against the
# system under test (an Agent with a bug), and asserts every response
# against a model register. The workers' ops are interleaved round-robin
# (not by timing), so a run is deterministic, as check/3 and shrink/3
# need. On the first failure check/3 shrinks the workload and
# fails the test with the seed, the shrunk ops per worker, the assertion's
# own message, the recipe, and the saved file with the command that
# prints it.
#
# The planted bug: a write right after a successful cas by another worker
# is lost (as a stale cache would lose it).
#
#     mix run examples/check_register.exs [--seed SEED]

ExUnit.start(autorun: false)

defmodule CheckRegisterTest do
  use ExUnit.Case

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @workers 3

  # The workload of one iteration: 3 workers, 40 ops each.
  def build(seed) do
    Workloads.register(seed: seed, values: 1..3) |> G.take(40) |> G.split(@workers)
  end

  # Runs the workers' ops round-robin (worker 0's next op, worker 1's,
  # worker 2's, again; a worker with no op left is skipped), asserting each
  # response against the model. The order depends only on the ops, so a
  # run is deterministic.
  def run(workers) do
    {:ok, reg} = Agent.start_link(fn -> %{value: nil, last_cas_by: nil} end)

    try do
      round(Enum.with_index(workers), reg, nil, 0)
    after
      Agent.stop(reg)
    end
  end

  defp round([], _reg, _model, _i), do: :ok

  defp round(workers, reg, model, i) do
    {workers, model, i} =
      Enum.reduce(workers, {[], model, i}, fn {gen, w}, {live, model, i} ->
        case G.next(gen) do
          :done ->
            {live, model, i}

          {op, gen} ->
            got = apply_op(reg, w, op)
            {want, model} = model(model, op)

            assert got == want,
                   "op #{i} (worker #{w}: #{inspect(op)}) returned #{inspect(got)}, " <>
                     "expected #{inspect(want)}"

            {[{gen, w} | live], model, i + 1}
        end
      end)

    round(Enum.reverse(workers), reg, model, i)
  end

  # The system under test.
  defp apply_op(reg, w, op) do
    Agent.get_and_update(reg, fn %{value: value, last_cas_by: by} = st ->
      case op do
        :read ->
          {value, st}

        # The planted bug: a write right after another worker's cas is lost.
        {:write, _v} when by not in [nil, w] ->
          {:ok, %{st | last_cas_by: nil}}

        {:write, v} ->
          {:ok, %{value: v, last_cas_by: nil}}

        {:cas, old, new} when value == old ->
          {true, %{value: new, last_cas_by: w}}

        {:cas, _old, _new} ->
          {false, %{st | last_cas_by: nil}}
      end
    end)
  end

  # The model: a correct register.
  defp model(value, :read), do: {value, value}
  defp model(_value, {:write, v}), do: {:ok, v}
  defp model(value, {:cas, old, new}) when value == old, do: {true, new}
  defp model(value, {:cas, _old, _new}), do: {false, value}

  test "the register keeps every acknowledged write" do
    G.check(&build/1, &run/1, save: Path.join(System.tmp_dir!(), "lockstep_failures"))
  end
end

{opts, _args} = OptionParser.parse!(System.argv(), strict: [seed: :integer])
ExUnit.configure(seed: Keyword.get(opts, :seed, 42), trace: false)
ExUnit.run()
