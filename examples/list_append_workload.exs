# An Elle-style list-append workload: N workers (Tasks) each run their own
# seeded list_append generator (forked per worker, with disjoint value spaces)
# against an Agent-backed store of lists, recording transactions with their
# read results. Prints a summary, the seed, per-worker fingerprints (identical
# on every run with the same seed) and a few transactions.
#
#     mix run examples/list_append_workload.exs [SEED] [WORKERS] [TXNS_PER_WORKER]

defmodule ListAppendWorkload do
  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  def run(seed, workers, per_worker) do
    store = elem(Agent.start_link(fn -> %{} end), 1)

    results =
      for w <- 0..(workers - 1) do
        gen =
          [seed: seed, keys: 6, max_txn_length: 4, workers: workers, worker: w]
          |> Workloads.list_append()
          |> G.fork(w)
          |> G.take(per_worker)

        Task.async(fn -> G.reduce(gen, [], &[execute(store, &1) | &2]) |> Enum.reverse() end)
      end
      |> Enum.map(&Task.await(&1, :infinity))

    {results, Agent.get(store, & &1)}
  end

  # Runs one transaction atomically: appends, and reads that see the list.
  defp execute(store, txn) do
    Agent.get_and_update(store, fn lists ->
      Enum.map_reduce(txn, lists, fn
        [:append, k, v], lists -> {[:append, k, v], Map.update(lists, k, [v], &(&1 ++ [v]))}
        [:r, k, nil], lists -> {[:r, k, Map.get(lists, k, [])], lists}
      end)
    end)
  end

  def main(args) do
    [seed, workers, per_worker] =
      ["7", "3", "100"]
      |> Enum.with_index()
      |> Enum.map(fn {default, i} -> String.to_integer(Enum.at(args, i, default)) end)

    {results, lists} = run(seed, workers, per_worker)

    micro =
      results |> Enum.map(fn txns -> txns |> Enum.map(&length/1) |> Enum.sum() end) |> Enum.sum()

    appended = lists |> Map.values() |> List.flatten()

    IO.puts("seed: #{seed}  workers: #{workers}  txns per worker: #{per_worker}")
    IO.puts("micro-ops run: #{micro}; values appended: #{length(appended)}")
    IO.puts("all appended values unique: #{length(appended) == length(Enum.uniq(appended))}")
    IO.puts("list lengths by key: #{inspect(Map.new(lists, fn {k, l} -> {k, length(l)} end))}")

    for {txns, w} <- Enum.with_index(results) do
      # The plan: reads without their results (those depend on the interleaving).
      plan =
        Enum.map(txns, fn txn ->
          Enum.map(txn, fn [f, k, v] -> if f == :r, do: {f, k}, else: {f, k, v} end)
        end)

      fingerprint = plan |> :erlang.phash2() |> Integer.to_string(16)

      IO.puts(
        "worker #{w}: #{length(txns)} txns, sequence #{fingerprint}, first: #{inspect(hd(plan))}"
      )
    end
  end
end

ListAppendWorkload.main(System.argv())
