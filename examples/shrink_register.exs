# Shrinking a failing register workload to the ops that matter.
#
# Three workers each get 200 ops of `Workloads.register` (one seeded workload,
# `split/2` into per-worker forks). The ops run against an Agent-backed
# register with a planted bug, interleaved round-robin (worker 0's op, worker
# 1's, worker 2's, then each one's next op; a worker that has run out is
# skipped), and every response is checked against a correct sequential
# register. The run fails; `Lockstep.Generator.shrink/3` then finds a 1-minimal
# sub-workload that still fails, and prints it per worker, as ops and as the
# op positions to pass to `select/2` to replay it.
#
# The bug: a cas on a value that another worker stored answers true but keeps
# the old value (a lost update, as a cas checked against a stale per-worker
# copy would give). A read, or another cas, after it sees the difference.
#
#     mix run examples/shrink_register.exs [SEED] [OPS_PER_WORKER]

defmodule ShrinkRegister do
  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @workers 3

  # The interleaving: {worker, op} in the order the ops run.
  def interleave(per_worker) do
    longest = per_worker |> Enum.map(&length/1) |> Enum.max(fn -> 0 end)

    for i <- 0..(longest - 1)//1,
        {ops, w} <- Enum.with_index(per_worker),
        op = Enum.at(ops, i),
        op != nil,
        do: {w, op}
  end

  # Runs the ops against the buggy register; the first response a correct
  # register would not give, or :ok.
  def check(per_worker) do
    {:ok, reg} = Agent.start_link(fn -> %{value: nil, writer: nil} end)

    result =
      per_worker
      |> interleave()
      |> Enum.with_index()
      |> Enum.reduce_while(nil, fn {{w, op}, i}, model ->
        got = apply_op(reg, w, op)
        {want, model} = spec(model, op)

        if got == want,
          do: {:cont, model},
          else: {:halt, {:error, i, w, op, got, want}}
      end)

    Agent.stop(reg)
    if match?({:error, _, _, _, _, _}, result), do: result, else: :ok
  end

  def fails?(per_worker), do: check(per_worker) != :ok

  # The system under test: a register that remembers which worker stored its
  # value.
  defp apply_op(reg, w, op) do
    Agent.get_and_update(reg, fn %{value: value, writer: writer} = st ->
      case op do
        :read ->
          {value, st}

        {:write, v} ->
          {:ok, %{value: v, writer: w}}

        # The planted bug: a cas on a value another worker stored answers
        # true but loses its update.
        {:cas, old, _new} when value == old and writer not in [nil, w] ->
          {true, st}

        {:cas, old, new} when value == old ->
          {true, %{value: new, writer: w}}

        {:cas, _old, _new} ->
          {false, st}
      end
    end)
  end

  # A correct register.
  defp spec(value, :read), do: {value, value}
  defp spec(_value, {:write, v}), do: {:ok, v}
  defp spec(value, {:cas, old, new}) when value == old, do: {true, new}
  defp spec(value, {:cas, _old, _new}), do: {false, value}

  def main(args) do
    [seed, per_worker] =
      ["42", "200"]
      |> Enum.with_index()
      |> Enum.map(fn {default, i} -> String.to_integer(Enum.at(args, i, default)) end)

    gens = Workloads.register(seed: seed) |> G.take(per_worker) |> G.split(@workers)
    ops = Enum.map(gens, &Enum.to_list/1)

    IO.puts("seed: #{seed}  workers: #{@workers}  ops per worker: #{per_worker}")

    case check(ops) do
      :ok ->
        IO.puts("run: passed (no interleaving hit the bug with this seed)")

      failure ->
        IO.puts("run: FAILED, #{describe(failure)}")
        {:ok, shrunk, info} = G.shrink(gens, &fails?/1)

        IO.puts(
          "shrunk: #{info.ops_before} ops -> #{info.ops_after} ops " <>
            "(per worker #{inspect(info.worker_ops_after)}) in #{info.calls} calls of fails?"
        )

        for {sel, w} <- Enum.with_index(shrunk) do
          # inspect/1 of a selection starts with the indices to pass to select/2.
          [indices] = Regex.run(~r/select indices: \[[^\]]*\]/, inspect(sel))
          IO.puts("worker #{w}: #{inspect(Enum.to_list(sel))}  (#{indices})")
        end

        IO.puts("shrunk run: FAILED, #{describe(check(Enum.map(shrunk, &Enum.to_list/1)))}")

        IO.puts(
          "replay worker W: Workloads.register(seed: #{seed}) |> take(#{per_worker}) " <>
            "|> fork(W) |> select(INDICES)"
        )
    end
  end

  defp describe({:error, i, w, op, got, want}),
    do:
      "op #{i} (worker #{w}: #{inspect(op)}) returned #{inspect(got)}, expected #{inspect(want)}"
end

ShrinkRegister.main(System.argv())
