defmodule Lockstep.Generator.SeedTest do
  # Seeds and fork keys with a map inside: `:erlang.phash2/2` hashes a map's
  # pairs apart from its running state, so the two salted halves of hash64
  # collide together whenever the pairs do (the 32-bit rate: 112-218 pairs of
  # identical streams among 10^6 terms). Such terms are hashed as their
  # canonical form, which has no map (docs/STREAM.md, section 1).
  use ExUnit.Case, async: true

  import Bitwise

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Seed}

  @fixture Path.expand("../../fixtures/golden_map_keys.txt", __DIR__)
  @external_resource @fixture
  @two32 1 <<< 32

  test "the colliding pairs found with the 32-bit reduction have distinct streams" do
    for {a, b} <- [
          {%{556_071 => :w}, %{732_203 => :w}},
          {%{iter: 52_317, worker: 4}, %{iter: 122_981, worker: 5}}
        ] do
      assert Seed.key(a) != Seed.key(b)

      assert Enum.take(G.random(1..100 |> Enum.to_list(), seed: a), 8) !=
               Enum.take(G.random(1..100 |> Enum.to_list(), seed: b), 8)

      parent = G.random(Enum.to_list(1..100), seed: 1)
      assert Enum.take(G.fork(parent, a), 8) != Enum.take(G.fork(parent, b), 8)
    end
  end

  # 10^6 terms of each family (as bench/seed_collisions.exs): the 32-bit
  # reduction gave 112-218 pairs each; 64 bits, any pair with p ~2.7e-8.
  @tag timeout: 300_000
  test "term families with maps inside: no collision among 10^6 of each" do
    n = 1_000_000

    families = [
      fn i -> %{i => :w} end,
      fn i -> %{iter: div(i, 10), worker: rem(i, 10)} end,
      fn i -> {:run, %{id: i}} end,
      fn i -> [%{k: i}] end
    ]

    for make <- families do
      keys = for i <- 1..n, do: Seed.key(make.(i))
      assert Enum.all?(keys, &match?({2, v} when v < 1 <<< 64, &1))
      assert collisions(keys) == 0, inspect(make.(1))
    end

    # Their fork stream ids (ChaCha, 64 bits) for the first 50,000 as well.
    streams = for i <- 1..50_000, do: Native.fork_stream(0, Seed.key(%{i => :w}))
    assert collisions(streams) == 0
  end

  test "the canonical form, written out by hand for a few terms" do
    for {term, canonical} <- [
          {%{}, {0, []}},
          {%{b: 1, a: 2.5}, {0, [{:a, {2, <<2.5::float-64>>}}, {:b, 1}]}},
          {%{1.0 => :f, 1 => :i}, {0, [{1, :i}, {{2, <<1.0::float-64>>}, :f}]}},
          {{:run, %{id: 7}}, {1, :run, {0, [{:id, 7}]}}},
          {[%{k: 1} | :tail], [{0, [{:k, 1}]} | :tail]},
          {%{{1, 2} => [3.0]}, {0, [{{1, 1, 2}, [{2, <<3.0::float-64>>}]}]}}
        ] do
      assert Seed.canonical(term) == canonical

      assert Seed.key(term) ==
               {2,
                :erlang.phash2({3, canonical}, @two32) * @two32 +
                  :erlang.phash2({4, canonical}, @two32)}
    end
  end

  test "equal maps built differently hash alike; terms without maps keep their hash" do
    big = Map.new(1..100, &{&1, &1 * 2})
    rebuilt = Enum.reduce(100..1//-1, %{}, &Map.put(&2, &1, &1 * 2))
    assert Seed.key(big) == Seed.key(rebuilt)
    assert Seed.key(%{a: 1, b: 2}) == Seed.key(Map.put(%{b: 2}, :a, 1))

    # A map and the term that is its canonical form are different keys, and
    # so are a float and its canonical form.
    assert Seed.key(%{k: 1}) != Seed.key({0, [{:k, 1}]})
    assert Seed.key([%{}, {0, []}]) != Seed.key([{0, []}, %{}])

    for term <- [:foo, "abc", {1, 2}, 1.5, [1, {2, "x"}], 1 <<< 70] do
      hi = :erlang.phash2({1, term}, @two32)
      lo = :erlang.phash2({2, term}, @two32)
      assert Seed.key(term) == {2, hi * @two32 + lo}
    end
  end

  test "golden seeds and fork keys with maps inside" do
    lines =
      @fixture
      |> File.read!()
      |> String.split("\n", trim: true)
      |> Enum.reject(&String.starts_with?(&1, "#"))

    assert length(lines) >= 10

    for line <- lines do
      [src, key, ops, stream, fork_ops] = String.split(line, " | ")
      {term, _} = Code.eval_string(src)
      ["2", v] = String.split(key, ":")
      assert Seed.key(term) == {2, String.to_integer(v)}, src
      assert G.random([0, 1, 2, 3], seed: term) |> Enum.take(16) == ints(ops), src
      assert Native.fork_stream(0, Seed.key(term)) == String.to_integer(stream), src

      assert G.random([0, 1, 2, 3], seed: 1) |> G.fork(term) |> Enum.take(16) == ints(fork_ops),
             src
    end
  end

  defp ints(s), do: s |> String.split() |> Enum.map(&String.to_integer/1)

  defp collisions(list), do: length(list) - map_size(Map.new(list, &{&1, true}))
end
