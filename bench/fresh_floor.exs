# How fast can a fresh generator per iteration be? (rows P22, P24, P26 of
# bench/run.exs: construct + take(20) + a next/1 loop, x3 workers x1000.)
#
#     mix run bench/fresh_floor.exs
#
# Next to the baseline and ours, two floors that make no engine work at all:
#
#   * pops:  construct ours + take(20), then 20 next/1 pops of a ready
#            buffer (a fresh copy of 20 real ops per iteration, with a
#            round-robin mix's next_childs beside them): what next/1 costs when
#            the ops are free.
#   * +call: the same plus the cheapest engine call there is: 20 ops of a
#            4-op cycle leaf (no ChaCha, no plan, no state).
#
# `ceiling` is baseline / floor: the best ratio any design with one engine
# call per fresh generator could reach. The goal of these rows is 2x.

Code.require_file("baseline.ex", __DIR__)
Code.require_file("support.ex", __DIR__)

alias Lockstep.Generator, as: G
alias Lockstep.Generator.Native
alias LockstepBench.Support, as: S

defmodule FreshFloor do
  @moduledoc false
  alias Lockstep.Generator, as: G

  def gen(:random, seed), do: G.random(S.pool4(), seed: seed)

  def gen(:mix3, seed) do
    G.mix([
      G.random(S.pool4(), seed: seed),
      G.cycle(S.pool4()),
      G.weighted(S.weighted4(), seed: seed + 1)
    ])
  end

  def gen(:register, seed), do: G.Workloads.register(seed: seed)

  # The buffer a first refill of 20 ops leaves, taken from a real refill:
  # its ops and its `pos` (a leaf's op index after them; a round-robin
  # mix's next_child after each).
  def ready(kind) do
    {_op, g} = kind |> gen(1) |> G.take(20) |> G.next()
    {g.buf, g.pos}
  end

  def floor(kind, {ready, ready_pos}, call?) do
    Enum.reduce(1..1000, 0, fn i, acc ->
      Enum.reduce(1..3, acc, fn w, acc ->
        g = kind |> gen(:erlang.phash2({i, w})) |> G.take(20)
        if call?, do: cheapest_call()
        # One op already popped (the refill's own next/1): 19 in the buffer.
        g = %{g | buf: :lists.map(& &1, ready), pos: copy(ready_pos), remaining: 19}
        acc + 1 + pops(g, 0)
      end)
    end)
  end

  # 20 ops of a cycle leaf through the leaf call (no spec, no plan, no
  # state): the least an engine call costs.
  defp cheapest_call do
    [_ | _] = Native.leaf_chunk(:cycle, 4, nil, {0, 0}, 0, 0, 20, List.to_tuple(S.pool4()))
  end

  defp copy(list) when is_list(list), do: :lists.map(& &1, list)
  defp copy(pos), do: pos

  defp pops(g, n) do
    case G.next(g) do
      :done -> n
      {_op, g} -> pops(g, n + 1)
    end
  end
end

# Each run in a fresh process, as bench/run.exs measures (S.measure/2).
best = fn {m, f, args}, reps ->
  run = fn -> elem(S.measure({S, :setup_args, [args]}, {m, f}), 0) end
  run.()
  Enum.min(for _ <- 1..reps, do: run.()) * 1000 / 60_000
end

reps = 9
IO.puts("ns/op, best of #{reps} (x3 workers x1000 iterations x20 ops)\n")

IO.puts(
  String.pad_trailing("kind", 10) <>
    Enum.map_join(
      ["baseline", "ours", "pops", "+call", "ratio", "ceiling", "ceiling+call"],
      &String.pad_leading(&1, 13)
    )
)

for kind <- [:random, :mix3, :register] do
  ready = FreshFloor.ready(kind)
  base = best.({S, :iteration, [LockstepBench.Baseline, kind, :next, 1000, 3, 20]}, reps)
  ours = best.({S, :iteration, [G, kind, :next, 1000, 3, 20]}, reps)
  pops = best.({FreshFloor, :floor, [kind, ready, false]}, reps)
  call = best.({FreshFloor, :floor, [kind, ready, true]}, reps)

  cells =
    Enum.map([base, ours, pops, call], &:erlang.float_to_binary(&1, decimals: 1)) ++
      Enum.map(
        [base / ours, base / pops, base / call],
        &"#{:erlang.float_to_binary(&1, decimals: 2)}x"
      )

  IO.puts(String.pad_trailing("#{kind}", 10) <> Enum.map_join(cells, &String.pad_leading(&1, 13)))
end
