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

  test "two holders of the same value get the same ops (the second rebuilds the cursor)" do
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
