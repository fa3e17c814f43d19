# Independent keys, end to end: a register workload over many keys, each
# key's sub-history checked on its own by a small brute-force
# linearizability checker.
#
# Six workers in two groups of three (`independent/2` with `concurrency: 3`,
# `split/2` into 6) run 18 register ops per key (6 each), then a read
# each, against one Agent per key. They run in rounds: in round r each
# worker invokes its r-th op, the registers apply the round's ops in a
# seeded order, and the completions come back in another seeded order, so
# ops of the same round overlap (within a key, and across keys). A stand-in history records `invoke`/`ok` events as
# `Lockstep.History` would (the key travels in the value, `{key, value}`),
# `Independent.subhistories/1` splits it by key, and the checker (written
# below, Wing-Gong style backtracking without memoization: worst case
# O(n!)) checks each key.
#
# Then a planted bug on some keys (3, 7, 11): when two writes meet in the
# same round, the register loses both (it keeps its value from before the
# round) while acknowledging them. The checker finds the bad keys, and
# `shrink/3` cuts the failing workload down, whole keys first, to one key
# and its minimal ops.
#
# Last, the time to check every key one by one, against the same checker
# on the whole history (a register per key in one model), stopped after a
# time limit.
#
#     mix run examples/independent_register.exs [SEED] [KEYS] [LIMIT_MS]

defmodule IndependentRegister do
  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Independent, Keyed, Op, Workloads}

  @buggy_keys [3, 7, 11]

  # ---------------------------------------------------------------- history

  # A stand-in for Lockstep.History: events in the order they happened.
  defmodule History do
    def new, do: elem(Agent.start_link(fn -> [] end), 1)
    def record(h, event), do: Agent.update(h, &[event | &1])
    def events(h), do: h |> Agent.get(& &1) |> Enum.reverse()
    def stop(h), do: Agent.stop(h)
  end

  # ---------------------------------------------------------------- the run

  def workers(seed, keys) do
    Workloads.register(seed: seed, values: 1..5)
    |> G.independent(keys: 0..(keys - 1), per_key: 18, concurrency: 3, final: [:read])
    |> G.split(6)
  end

  # Runs each worker's ops (lists of Keyed ops) in rounds against one Agent
  # per key; the recorded history.
  def run(per_worker, seed, bug?) do
    keys = for ops <- per_worker, %Keyed{key: k} <- ops, uniq: true, do: k
    regs = Map.new(keys, fn k -> {k, start_register(k, bug?)} end)
    history = History.new()
    rounds = per_worker |> Enum.map(&length/1) |> Enum.max(fn -> 0 end)

    for r <- 0..(rounds - 1)//1 do
      round = for {ops, w} <- Enum.with_index(per_worker), op = Enum.at(ops, r), op, do: {w, op}

      for {w, op} <- round,
          do: History.record(history, event(:invoke, w, op, Op.value(op)))

      results =
        for {w, %Keyed{key: k, op: inner} = op} <- seeded_order(round, seed, :apply),
            do: {w, op, apply_op(regs[k], r, inner)}

      for {w, op, result} <- seeded_order(results, seed, :complete),
          do: History.record(history, event(:ok, w, op, {op.key, result_value(op.op, result)}))
    end

    events = History.events(history)
    History.stop(history)
    Enum.each(Map.values(regs), &Agent.stop/1)
    events
  end

  # A seeded order in which each entry's rank depends on the entry alone,
  # so one key's ops keep their order whatever the other keys' ops are.
  defp seeded_order(entries, seed, what),
    do: Enum.sort_by(entries, &:erlang.phash2({seed, what, elem(&1, 0), elem(&1, 1)}))

  defp event(type, w, op, value), do: %{type: type, f: Op.f(op), value: value, process: w}

  # A read completes with the value read; a write with its value; a cas with
  # {old, new, succeeded?}.
  defp result_value(:read, v), do: v
  defp result_value({:write, v}, :ok), do: v
  defp result_value({:cas, old, new}, ok?), do: {old, new, ok?}

  # The register under test. `bug?`: on the buggy keys, two writes in one
  # round are both lost (acknowledged, but the value from before the round
  # is kept).
  defp start_register(key, bug?) do
    buggy = bug? and key in @buggy_keys

    {:ok, pid} =
      Agent.start_link(fn -> %{value: nil, round: -1, writes: 0, before: nil, buggy: buggy} end)

    pid
  end

  defp apply_op(reg, r, op) do
    Agent.get_and_update(reg, fn st ->
      st = if st.round == r, do: st, else: %{st | round: r, writes: 0, before: st.value}

      case op do
        :read ->
          {st.value, st}

        {:write, _v} when st.buggy and st.writes >= 1 ->
          {:ok, %{st | value: st.before, writes: st.writes + 1}}

        {:write, v} ->
          {:ok, %{st | value: v, writes: st.writes + 1}}

        {:cas, old, new} when st.value == old ->
          {true, %{st | value: new}}

        {:cas, _old, _new} ->
          {false, st}
      end
    end)
  end

  # ---------------------------------------------------------------- checker

  # Brute-force linearizability: is there an order of the ops, respecting
  # real time (an op that completed before another was invoked comes first),
  # in which every response is what the model gives? `step.(state, op)` is
  # {:ok, state} or :error. Pending invokes (no completion) may be left out.
  def linearizable?(events, init, step) do
    ops = pair(events)
    search(ops, init, step)
  end

  defp pair(events) do
    {ops, _pending} =
      events
      |> Enum.with_index()
      |> Enum.reduce({[], %{}}, fn
        {%{type: :invoke} = e, i}, {ops, pending} ->
          {ops, Map.put(pending, e.process, {e, i})}

        {%{type: :ok} = e, i}, {ops, pending} ->
          {{inv, at}, pending} = Map.pop(pending, e.process)
          {[%{f: inv.f, arg: inv.value, out: e.value, inv: at, ret: i} | ops], pending}
      end)

    Enum.sort_by(ops, & &1.inv)
  end

  defp search([], _state, _step), do: true

  defp search(ops, state, step) do
    first_ret = ops |> Enum.map(& &1.ret) |> Enum.min()

    ops
    |> Enum.filter(&(&1.inv < first_ret))
    |> Enum.any?(fn op ->
      case step.(state, op) do
        {:ok, state} -> search(List.delete(ops, op), state, step)
        :error -> false
      end
    end)
  end

  # One register.
  def register_step(v, %{f: :read, out: v}), do: {:ok, v}
  def register_step(_v, %{f: :write, out: w}), do: {:ok, w}
  def register_step(v, %{f: :cas, out: {v, new, true}}), do: {:ok, new}
  def register_step(v, %{f: :cas, out: {old, _new, false}}) when v != old, do: {:ok, v}
  def register_step(_v, _op), do: :error

  # A register per key, in one model (the whole, keyed history).
  def keyed_step(regs, %{arg: {k, _}, out: {k, out}} = op) do
    case register_step(Map.get(regs, k), %{op | out: out}) do
      {:ok, v} -> {:ok, Map.put(regs, k, v)}
      :error -> :error
    end
  end

  def failing_keys(events) do
    events
    |> Independent.subhistories()
    |> Enum.reject(fn {_k, sub} -> linearizable?(sub, nil, &register_step/2) end)
    |> Enum.map(&elem(&1, 0))
    |> Enum.sort()
  end

  # ---------------------------------------------------------------- main

  def main(args) do
    [seed, keys, limit] =
      Enum.zip_with([args ++ [nil, nil, nil], [42, 12, 10_000]], fn [a, d] ->
        if a, do: String.to_integer(a), else: d
      end)
      |> Enum.take(3)

    gens = workers(seed, keys)
    per_worker = Enum.map(gens, &Enum.to_list/1)
    total = per_worker |> Enum.map(&length/1) |> Enum.sum()

    IO.puts(
      "seed: #{seed}  keys: #{keys}  workers: 6 (2 groups of 3)  per key: 18 + 3 final reads  " <>
        "ops: #{total} (per worker #{show(Enum.map(per_worker, &length/1))})"
    )

    # A correct register: every key linearizable.
    events = run(per_worker, seed, false)
    {us, bad} = :timer.tc(fn -> failing_keys(events) end)

    IO.puts(
      "correct register: #{length(events)} events, #{map_size(Independent.subhistories(events))} keys, " <>
        "failing keys: #{show(bad)}; checked key by key in #{ms(us)}"
    )

    # The planted bug.
    events = run(per_worker, seed, true)
    {us, bad} = :timer.tc(fn -> failing_keys(events) end)

    IO.puts(
      "buggy register (keys #{show(@buggy_keys)}): failing keys: #{show(bad)}; " <>
        "checked key by key in #{ms(us)}"
    )

    # fails? counts its calls, and notes the first call that failed with the
    # ops of one key alone.
    fails? = fn per_worker ->
      n = Process.put(:calls, Process.get(:calls, 0) + 1) || 0
      failed? = failing_keys(run(per_worker, seed, true)) != []
      one_key? = length(Enum.uniq(for w <- per_worker, op <- w, do: op.key)) == 1

      if failed? and one_key? and Process.get(:one_key) == nil,
        do: Process.put(:one_key, n + 1)

      failed?
    end

    {:ok, shrunk, info} = G.shrink(gens, fails?)
    ops = Enum.map(shrunk, &Enum.to_list/1)
    key = for(w <- ops, %Keyed{key: k} <- w, uniq: true, do: k)

    IO.puts(
      "shrunk: #{info.ops_before} ops -> #{info.ops_after} ops on key(s) #{show(key)} " <>
        "in #{info.calls} calls of fails? (one key left after #{Process.get(:one_key)} calls, " <>
        "#{keys} keys; then its minimal ops)"
    )

    for {w_ops, w} <- Enum.with_index(ops), w_ops != [] do
      IO.puts("  worker #{w}: #{show(Enum.map(w_ops, &{&1.key, &1.op}))}")
    end

    IO.puts("  failing keys of the shrunk run: #{show(failing_keys(run(ops, seed, true)))}")

    # Key by key against the whole history, same checker, same events.
    for {name, bug?} <- [{"correct", false}, {"buggy", true}] do
      events = run(per_worker, seed, bug?)
      {per_key_us, bad} = :timer.tc(fn -> failing_keys(events) end)
      task = Task.async(fn -> :timer.tc(fn -> linearizable?(events, %{}, &keyed_step/2) end) end)

      whole =
        case Task.yield(task, limit) || Task.shutdown(task, :brutal_kill) do
          {:ok, {us, result}} -> "#{ms(us)} (linearizable: #{result})"
          nil -> "stopped after #{limit / 1000} s, unfinished"
        end

      IO.puts(
        "check time, #{name} register: #{keys} keys one by one #{ms(per_key_us)} " <>
          "(failing keys: #{show(bad)}); whole history: #{whole}"
      )
    end
  end

  defp show(term), do: inspect(term, charlists: :as_lists)

  defp ms(us), do: :erlang.float_to_binary(us / 1000, decimals: 1) <> " ms"
end

IndependentRegister.main(System.argv())
