defmodule Lockstep.Generator.Combinators.ChunkTest do
  # chunk/2 against a model of its definition in plain Elixir: op i of
  # chunk(gen, n) is the list of gen's ops i·n .. i·n + n - 1, the last one
  # shorter when gen ends (Enum.chunk_every/2 over gen's own ops).
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  defmodule Fns do
    @moduledoc false
    def tag(op), do: {:t, op}
    def odd?(op), do: rem(op, 2) == 1
  end

  defp model(gen, n, k), do: gen |> Enum.take(k * n) |> Enum.chunk_every(n) |> Enum.take(k)

  # The ops of next/1, one at a time.
  defp nexts(gen, k) do
    Enum.reduce_while(1..k//1, {[], gen}, fn _, {acc, g} ->
      case G.next(g) do
        {op, g} -> {:cont, {[op | acc], g}}
        :done -> {:halt, {acc, g}}
      end
    end)
    |> then(fn {acc, _} -> Enum.reverse(acc) end)
  end

  defp children do
    r = G.random([:read, {:write, 1}, {:write, 2}], seed: 3)
    c = G.cycle([:a, :b, :c])

    [
      random: r,
      counter: G.counter(5),
      take: G.take(r, 1001),
      mix: G.mix([r, c, G.counter(0)]),
      mix_all: G.mix([G.take(r, 30), G.take(c, 70)], until: :all),
      random_mix: G.mix([r, c], strategy: :random, seed: 9),
      concat: G.concat([G.take(c, 5), G.take(r, 9), G.counter(1)]),
      zip: G.zip([c, G.integers(1..9, seed: 2)]),
      list_append: Workloads.list_append(seed: 4),
      map: G.map(G.counter(0), &Fns.tag/1),
      filter: G.filter(G.integers(0..99, seed: 7), &Fns.odd?/1),
      dropped: G.drop(r, 12_345),
      wide: G.mix(for(i <- 1..40, do: G.take(G.random([i, -i], seed: i), 30 + i)))
    ]
  end

  test "every read of a chunk agrees with the model, for every n and kind of child" do
    for {name, gen} <- children(), n <- [1, 2, 3, 7, 64, 65, 4096] do
      k = if n > 64, do: 5, else: 150
      expected = model(gen, n, k)
      chunked = G.chunk(gen, n)

      assert Enum.take(chunked, k) == expected, "#{name} n=#{n} Enum.take"
      assert nexts(chunked, k) == expected, "#{name} n=#{n} next/1"
      each = G.take(chunked, k) |> G.reduce([], &[&1 | &2]) |> Enum.reverse()
      assert each == expected, "#{name} n=#{n} reduce/3"
    end
  end

  test "a finite child: the last chunk is shorter, then :done" do
    gen = G.take(G.counter(1), 10)
    chunked = G.chunk(gen, 4)
    assert Enum.to_list(chunked) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert Enum.count(chunked) == 3
    assert G.drop(chunked, 3) |> G.next() == :done
    assert Enum.to_list(G.chunk(G.take(G.counter(1), 8), 4)) == [[1, 2, 3, 4], [5, 6, 7, 8]]
    assert Enum.to_list(G.chunk(G.take(G.counter(1), 0), 4)) == []
  end

  test "drop/2 skips k·n ops of the child, also mid-stream and past a take" do
    for {name, gen} <- children(), n <- [1, 3, 8], k <- [0, 1, 5, 64, 65, 300] do
      chunked = G.chunk(gen, n)
      expected = model(gen, n, k + 20) |> Enum.drop(k)
      assert Enum.take(G.drop(chunked, k), 20) == expected, "#{name} n=#{n} k=#{k}"

      {_op, moved} = G.next(chunked)
      assert Enum.take(G.drop(moved, k), 19) == Enum.drop(expected, 1), "#{name} moved"
    end

    # Arithmetic: far along a counter, at once.
    assert G.counter(0) |> G.chunk(4) |> G.drop(10 ** 15) |> G.next() |> elem(0) ==
             Enum.to_list((4 * 10 ** 15)..(4 * 10 ** 15 + 3))
  end

  test "fork/2 and split/2 chunk the child's forked streams" do
    r = G.random(Enum.to_list(1..100), seed: 1)
    mix = G.mix([r, G.cycle([:x])])

    for child <- [r, mix, G.counter(0)], key <- [:w, 3] do
      assert Enum.take(G.fork(G.chunk(child, 5), key), 30) ==
               Enum.take(G.chunk(G.fork(child, key), 5), 30)
    end

    for child <- [r, G.counter(0)] do
      assert Enum.map(G.split(G.chunk(child, 3), 2), &Enum.take(&1, 20)) ==
               Enum.map(G.split(child, 2), &model(&1, 3, 20))
    end
  end

  test "recipe/1, save/2 and load/1 rebuild it, also mid-stream" do
    path = Path.join(System.tmp_dir!(), "chunk_#{System.unique_integer([:positive])}.lsg")

    for {name, gen} <- children(), name not in [:filter, :map, :wide] do
      chunked = G.chunk(gen, 3)
      {_, moved} = G.next(G.drop(chunked, 7))
      {rebuilt, _} = Code.eval_string(G.recipe(moved))
      assert Enum.take(rebuilt, 50) == Enum.take(moved, 50), "#{name} recipe"
      assert G.recipe(moved) =~ "G.chunk("

      :ok = G.save([moved, chunked], path)
      assert {:ok, [loaded, first]} = G.load(path)
      assert Enum.take(loaded, 50) == Enum.take(moved, 50), "#{name} load"
      assert Enum.take(first, 50) == Enum.take(chunked, 50), "#{name} load"
    end

    File.rm(path)
  end

  test "term_to_binary mid-stream continues the same lists" do
    gen = G.chunk(G.mix([G.random([:a, :b], seed: 2), G.counter(0)]), 4)
    {_, moved} = G.next(gen)
    copy = moved |> :erlang.term_to_binary() |> :erlang.binary_to_term()
    assert Enum.take(copy, 40) == gen |> Enum.take(41) |> tl()
  end

  test "inspect/1 shows n and the child" do
    assert inspect(G.chunk(G.counter(1), 3)) ==
             "#Lockstep.Generator<chunk n: 3 remaining: infinity children: " <>
               "[#Lockstep.Generator<counter start: 1 at: 0>]>"
  end

  test "bad arguments: an ArgumentError naming them" do
    for n <- [0, -1, 4097, 2.0, :x, nil] do
      assert_raise ArgumentError, ~r/chunk\/2 expects n to be an integer in 1\.\.4096/, fn ->
        G.chunk(G.counter(1), n)
      end
    end

    assert_raise ArgumentError, ~r/chunk\/2 expects a generator, got: \[1\]/, fn ->
      G.chunk([1], 2)
    end
  end
end
