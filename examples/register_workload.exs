# A Jepsen-style register workload: N workers (Tasks), each pulling ops from its
# own fork of one seeded generator, run them against an Agent-backed register
# and record an invoke/ok history. Prints a summary, the seed, and each worker's
# op sequence (as a short fingerprint plus the first ops): run it twice with the
# same seed and the per-worker sequences are identical, whatever the scheduling.
#
#     mix run examples/register_workload.exs [SEED] [WORKERS] [OPS_PER_WORKER]

defmodule RegisterWorkload do
  alias Lockstep.Generator, as: G

  def run(seed, workers, per_worker) do
    reg = elem(Agent.start_link(fn -> 0 end), 1)
    history = elem(Agent.start_link(fn -> [] end), 1)

    base =
      G.weighted([{:read, 4}, {{:write, 1}, 2}, {{:write, 2}, 2}, {{:cas, 1, 2}, 1}], seed: seed)
      |> G.take(per_worker)

    per_worker_ops =
      base
      |> G.split(workers)
      |> Enum.with_index()
      |> Enum.map(fn {gen, w} -> Task.async(fn -> worker(w, gen, reg, history) end) end)
      |> Enum.map(&Task.await(&1, :infinity))

    events = Agent.get(history, &Enum.reverse/1)
    {per_worker_ops, events}
  end

  # The worker advances its generator locally, one next/1 at a time.
  defp worker(w, gen, reg, history, done \\ []) do
    case G.next(gen) do
      :done ->
        Enum.reverse(done)

      {op, gen} ->
        Agent.update(history, &[{:invoke, w, op} | &1])
        result = apply_op(reg, op)
        Agent.update(history, &[{:ok, w, op, result} | &1])
        worker(w, gen, reg, history, [op | done])
    end
  end

  defp apply_op(reg, :read), do: Agent.get(reg, & &1)
  defp apply_op(reg, {:write, v}), do: Agent.update(reg, fn _ -> v end)

  defp apply_op(reg, {:cas, old, new}) do
    Agent.get_and_update(reg, fn
      ^old -> {true, new}
      cur -> {false, cur}
    end)
  end

  def main(args) do
    [seed, workers, per_worker] =
      ["42", "4", "200"]
      |> Enum.with_index()
      |> Enum.map(fn {default, i} -> String.to_integer(Enum.at(args, i, default)) end)

    {per_worker_ops, events} = run(seed, workers, per_worker)
    oks = for {:ok, _, op, result} <- events, do: {op, result}

    IO.puts("seed: #{seed}  workers: #{workers}  ops per worker: #{per_worker}")
    IO.puts("history: #{length(events)} events (#{length(oks)} completed ops)")

    kinds = Enum.frequencies_by(oks, fn {op, _} -> if is_tuple(op), do: elem(op, 0), else: op end)
    cas_ok = Enum.count(oks, &match?({{:cas, _, _}, true}, &1))
    IO.puts("ops by kind: #{inspect(kinds)}; successful cas: #{cas_ok}")

    for {ops, w} <- Enum.with_index(per_worker_ops) do
      fingerprint = ops |> :erlang.phash2() |> Integer.to_string(16)

      IO.puts(
        "worker #{w}: #{length(ops)} ops, sequence #{fingerprint}, first: #{inspect(Enum.take(ops, 4))}"
      )
    end

    IO.puts(
      "replay any worker: Lockstep.Generator.weighted(..., seed: #{seed}) |> take(#{per_worker}) |> fork(W)"
    )
  end
end

RegisterWorkload.main(System.argv())
