defmodule Lockstep.Generator.DriverTest do
  # next/1 on a tree of many leaves refills from a cursor: the decoded plan,
  # kept between refills in a NIF resource (Lockstep.Generator.Driver). It is
  # only a cache of the struct's fields, so a generator value stays pure:
  # whoever holds it, however often, wherever it was made.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G

  defp wide(strategy \\ :round_robin) do
    leaves = for i <- 1..40, do: G.take(G.random([:a, :b, {:w, i}], seed: i), 30 + i * 11)

    case strategy do
      :round_robin -> G.mix(leaves)
      :random -> G.mix(leaves, strategy: :random, seed: 3, until: :all)
    end
  end

  defp cursor(%G{engine: %{frontier: %Lockstep.Generator.Cursor{} = f}}), do: f
  defp cursor(_gen), do: nil

  test "trees of 32 leaves or more keep one cursor across refills; smaller trees none" do
    {_, g} = advance(G.mix(for i <- 1..40, do: G.random([:a, i], seed: i)), 100)
    %{ref: c, at: at} = cursor(g)
    # Refills of 64 then 1,024 ops.
    assert at == 64 + 1024
    {_, g} = advance(g, 1000)
    assert %{ref: ^c, at: 2112} = cursor(g)

    small = G.mix(for i <- 1..31, do: G.random([:a, :b], seed: i))
    {_, small} = advance(small, 100)
    assert cursor(small) == nil
  end

  test "a small tree's frontier: the state its refill reported, or Final after a take's last refill" do
    alias Lockstep.Generator.Frontier

    mix = G.mix([G.cycle([:a]), G.cycle([:b]), G.cycle([:c])])
    {_, g} = advance(mix, 1)
    # The first refill (64 ops): 22, 21 and 21 from the three cycles, the
    # next child after them the second (64 = 3 * 21 + 1).
    assert %Frontier.Reported{state: %{produced: 64, next_child: 1, children: [22, 21, 21]}} =
             g.engine.frontier

    {_, taken} = advance(G.take(mix, 20), 8)
    assert taken.engine.frontier == %Frontier.Final{}
    # Settled, the children are where the 8 ops popped leave them, with no
    # frontier.
    settled = Lockstep.Generator.Driver.settle(taken)
    assert settled.engine.frontier == nil
    assert settled.next_child == 2
    assert Enum.map(settled.children, &Lockstep.Generator.Node.position/1) == [3, 3, 2]
  end

  test "next/1 from a cursor gives the ops every other path gives" do
    for strategy <- [:round_robin, :random] do
      g = wide(strategy)
      total = length(reduce_list(g))
      assert walk(g) == reduce_list(g)
      assert length(walk(g)) == total
      assert walk(g) == Enum.to_list(g)
    end
  end

  test "wide mixes, concats and zips of maps: the cursor tags ops, the maps apply" do
    # Each map's twin wrapped in a filter that keeps everything: not lifted,
    # so stepped op by op in Elixir (the reference).
    kids = fn wrap ->
      for i <- 1..36 do
        g = G.map(G.take(G.random([:a, :b], seed: i), 40 + i * 13), &{i, &1})
        if wrap, do: G.filter(g, fn _ -> true end), else: g
      end
    end

    builds = [
      &G.mix(&1),
      &G.mix(&1, until: :all),
      &G.mix(&1, strategy: :random, seed: 4, until: :all),
      &G.concat/1,
      &G.zip/1
    ]

    for build <- builds do
      lifted = build.(kids.(false))
      stepped = build.(kids.(true))
      {_, g} = advance(lifted, 70)
      assert %{lift: {_, _}} = cursor(g)
      assert walk(lifted) == walk(stepped)
    end
  end

  test "a wide mix of maps, one raising: every op before it, then the raise" do
    kids =
      for i <- 1..40,
          do:
            G.map(G.counter(1), fn
              30 when i == 7 -> raise "boom"
              v -> {i, v}
            end)

    g = G.mix(kids)
    # Child 7 (index 6) raises on its 30th op: op 29 * 40 + 6 of the mix.
    {ops, at} = advance(g, 29 * 40 + 6)
    assert List.last(ops) == {6, 30}
    assert_raise RuntimeError, "boom", fn -> G.next(at) end
    assert_raise RuntimeError, "boom", fn -> walk(g) end
  end

  test "two holders of the same value get the same ops (the second has a cursor of its own)" do
    g = wide()
    {head, g1} = advance(g, 100)
    {a, a_gen} = advance(g1, 3000)
    {b, b_gen} = advance(g1, 3000)
    assert a == b
    assert head ++ a == Enum.take(reduce_list(g), 3100)
    # The second holder made a cursor of its own.
    refute cursor(a_gen).ref == cursor(b_gen).ref
    assert walk(a_gen) == walk(b_gen)
  end

  # What `fun` calls, run in a process of its own (traced; no other process
  # is): `{its result, [{module, function, arity}]}`.
  defp calls_made(mfas, fun) do
    for mfa <- mfas, do: :erlang.trace_pattern(mfa, true, [:local])
    parent = self()

    pid =
      spawn(fn ->
        receive do
          :go -> send(parent, {:result, self(), fun.()})
        end
      end)

    :erlang.trace(pid, true, [:call, {:tracer, self()}])
    send(pid, :go)
    result = receive do: ({:result, ^pid, result} -> result)
    ref = :erlang.trace_delivered(pid)
    receive do: ({:trace_delivered, ^pid, ^ref} -> :ok)
    for mfa <- mfas, do: :erlang.trace_pattern(mfa, false, [:local])
    {result, traced_calls(pid, [])}
  end

  defp traced_calls(pid, acc) do
    receive do
      {:trace, ^pid, :call, {m, f, args}} -> traced_calls(pid, [{m, f, length(args)} | acc])
    after
      0 -> Enum.reverse(acc)
    end
  end

  @rebuild [
    {Lockstep.Generator.Spec, :tree, 1},
    {Lockstep.Generator.Native, :plan_new, 2},
    {Lockstep.Generator.Native, :plan_new_dirty, 2}
  ]
  @seek [
    {Lockstep.Generator.Native, :plan_seek, 2},
    {Lockstep.Generator.Native, :plan_seek_dirty, 2}
  ]

  test "a holder of a value whose cursor moved on seeks the decoded plan: no tree described or decoded" do
    shapes = [
      # A round-robin mix (skipped arithmetically), a random one (skipped by
      # stepping), maps (tagged ops), and one too wide to decode on a normal
      # scheduler.
      {G.mix(for i <- 1..40, do: G.random([:a, :b, {:w, i}], seed: i)), 100, 3000},
      {G.mix(for(i <- 1..40, do: G.cycle([i, -i])), strategy: :random, seed: 9), 1100, 2000},
      {G.mix(for(i <- 1..36, do: G.map(G.random([:a, :b], seed: i), &{i, &1}))), 70, 2000},
      {G.mix(for i <- 1..2100, do: G.random([:a, {:w, i}], seed: i)), 5000, 2100}
    ]

    for {g, n, more} <- shapes do
      {head, g1} = advance(g, n)
      # The owner moves the cursor on...
      {a, _} = advance(g1, more)
      # ...so another holder of g1 finds it past its position.
      {{b, b_gen}, calls} = calls_made(@rebuild ++ @seek, fn -> advance(g1, more) end)
      assert b == a
      assert head ++ b == reduce_list(G.take(g, n + more))
      assert [{_, seek, 2}] = calls
      assert seek in [:plan_seek, :plan_seek_dirty]
      refute cursor(b_gen).ref == cursor(g1).ref
      # Its own cursor, which the owner's refills do not move.
      {_, _} = advance(g1, more)
      assert walk(b_gen, 1500) == walk(G.drop(g, n + more), 1500)
    end
  end

  test "seeking far into a plan skipped op by op takes several bounded calls" do
    g = G.mix(for(i <- 1..40, do: G.cycle([i, -i])), strategy: :random, seed: 9)
    {_, g1} = advance(g, 150_000)
    # Past g1's buffer: a refill.
    {a, _} = advance(g1, 2000)
    {{b, _}, calls} = calls_made(@rebuild ++ @seek, fn -> advance(g1, 2000) end)
    assert b == a
    assert a == walk(G.drop(g, 150_000), 2000)
    assert length(calls) > 1
    assert Enum.all?(calls, &(&1 in @seek))
  end

  @refills [
    {Lockstep.Generator.Native, :plan_refill, 5},
    {Lockstep.Generator.Native, :plan_refill_dirty, 5}
  ]

  test "a wide tree of small pools refills, and its holders seek, on a normal scheduler" do
    # Past the leaves a tree may have and still be decoded on a normal
    # scheduler: its refills read one leaf per op, not all of them.
    g = G.mix(for i <- 1..20_000, do: G.random([i, -i, {:w, i}], seed: i))
    {head, g1} = advance(g, 100)
    assert %{dirty: false} = cursor(g1)
    {a, _} = advance(g1, 3000)
    {{b, _}, calls} = calls_made(@refills ++ @seek, fn -> advance(g1, 3000) end)
    assert b == a
    assert head ++ a == reduce_list(G.take(g, 3100))
    assert {Lockstep.Generator.Native, :plan_seek, 2} in calls
    assert Enum.all?(calls, &(&1 in [{Lockstep.Generator.Native, :plan_refill, 5} | @seek]))
    refute {Lockstep.Generator.Native, :plan_seek_dirty, 2} in calls
  end

  test "a value whose cursor is not of this VM continues identically" do
    {_, g1} = advance(wide(:random), 500)
    # As after :erlang.term_to_binary/1 into another VM: the reference no
    # longer names a live cursor.
    foreign = put_in(g1.engine.frontier.ref, make_ref())
    assert walk(foreign, 3000) == walk(g1, 3000)
    roundtrip = g1 |> :erlang.term_to_binary() |> :erlang.binary_to_term()
    assert walk(roundtrip, 3000) == walk(g1, 3000)
  end

  test "drop/2, fork/2, take/2 and each/2 of a value mid-cursor agree with drop from the start" do
    g = wide()

    for n <- [1, 63, 64, 65, 1087, 1088, 1089, 3000] do
      {_, gn} = advance(g, n)
      from_start = G.drop(g, n)
      assert walk(gn, 400) == walk(from_start, 400), "after #{n}"
      assert walk(G.drop(gn, 700), 300) == walk(G.drop(g, n + 700), 300), "drop after #{n}"
      assert reduce_list(G.take(gn, 500)) == walk(from_start, 500), "take after #{n}"
      {ops, _count} = each_list(G.take(gn, 200))
      assert ops == walk(from_start, 200)
      assert walk(G.fork(gn, :k), 100) == walk(G.fork(from_start, :k), 100)
      assert gn.remaining == from_start.remaining and gn.next_child == from_start.next_child
    end
  end
end
