defmodule Lockstep.Generator.MalformedTest do
  # Values that are not what the constructors make (a bare struct, fields
  # overwritten by hand) and sizes out of range: an ArgumentError naming the
  # function and the field, never a FunctionClauseError, KeyError or
  # ArithmeticError from deep inside, and no run to the heap limit.
  use ExUnit.Case, async: true

  import Bitwise

  alias Lockstep.Generator, as: G

  defp malformed do
    leaf = G.random([:a, :b], seed: 1)
    mix = G.mix([leaf, G.cycle([:x])])

    [
      bare: %{__struct__: G},
      bare_with_kind: %{__struct__: G, kind: :random},
      engine_nil: %{leaf | engine: nil},
      engine_empty: %{leaf | engine: %{}},
      pos_atom: %{leaf | pos: :x},
      remaining_atom: %{leaf | remaining: :lots},
      pool_not_tuple: %{leaf | engine: %{leaf.engine | pool: :nope}},
      children_atom: %{mix | children: :x},
      children_junk: %{mix | children: [leaf, 7]},
      child_malformed: %{mix | children: [leaf, %{leaf | engine: nil}]},
      mix_engine_nil: %{mix | engine: nil},
      leaf_as_mix: %{leaf | kind: :mix},
      select_junk: %{G.select(leaf, [1, 2]) | engine: %{indices: :x, at: 0}}
    ]
  end

  defp calls do
    [
      {"next/1", &G.next/1},
      {"fork/2", &G.fork(&1, :w)},
      {"split/2", &G.split(&1, 2)},
      {"drop/2", &G.drop(&1, 5)},
      {"take/2", &G.take(&1, 3)},
      {"compact/1", &G.compact/1},
      {"each/2", &G.each(&1, fn _ -> :ok end)},
      {"reduce/3", &G.reduce(&1, 0, fn _, n -> n + 1 end)}
    ]
  end

  test "next/1, each/2 and reduce/3 on a malformed generator: an ArgumentError naming it" do
    for {name, gen} <- malformed() do
      # A finite version where take/2 can make one (each/2 must end).
      finite = if match?(%{remaining: :infinity}, gen), do: %{gen | remaining: 3}, else: gen

      for {fun, call} <- calls(), fun in ["next/1", "each/2", "reduce/3"] do
        e =
          try do
            call.(finite)
            flunk("#{name} #{fun}: nothing raised")
          rescue
            e in ArgumentError -> e
          end

        assert e.message =~ "#{fun} expects a generator, got a malformed Lockstep.Generator",
               "#{name} #{fun}: #{e.message}"
      end
    end
  end

  test "every other function: a result or an ArgumentError, never another exception" do
    for {name, gen} <- malformed(), {fun, call} <- calls(), fun not in ["each/2", "reduce/3"] do
      try do
        call.(gen)
      rescue
        e in ArgumentError ->
          assert e.message =~ "#{fun} expects a generator, got a malformed", "#{name} #{fun}"

        e ->
          flunk("#{name} #{fun}: #{inspect(e.__struct__)}: #{Exception.message(e)}")
      end
    end

    # Enum too (Enumerable's reduce, count and slice).
    for {name, gen} <- malformed(), call <- [&Enum.take(&1, 3), &Enum.at(&1, 5)] do
      try do
        call.(gen)
      rescue
        e in ArgumentError ->
          assert e.message =~ "expects a generator, got a malformed", "#{name} Enum"

        e ->
          flunk("#{name} Enum: #{inspect(e.__struct__)}: #{Exception.message(e)}")
      end
    end

    # The bare struct fails in all of them.
    for {fun, call} <- calls() do
      assert_raise ArgumentError,
                   ~r/^#{Regex.escape(fun)} expects a generator, got a malformed/,
                   fn ->
                     call.(%{__struct__: G})
                   end
    end
  end

  test "the message names the field, also inside a child" do
    leaf = G.random([:a, :b], seed: 1)

    assert_raise ArgumentError, ~r/\(pos is :x, expected a non-negative integer\)/, fn ->
      G.next(%{leaf | pos: :x})
    end

    assert_raise ArgumentError, ~r/\(missing fields \[:buf, :children, :engine, :kind/, fn ->
      G.fork(%{__struct__: G}, 1)
    end

    assert_raise ArgumentError, ~r/\(children\[1\] is 7, not a generator\)/, fn ->
      G.next(%{G.mix([leaf, G.cycle([:x])]) | children: [leaf, 7]})
    end

    assert_raise ArgumentError, ~r/\(children\[0\]\.remaining is -2, expected/, fn ->
      G.drop(%{G.mix([leaf, G.cycle([:x])]) | children: [%{leaf | remaining: -2}, leaf]}, 3)
    end
  end

  test "an exception from a well-formed generator's own function is not renamed" do
    gen = G.map(G.cycle([1, 2]), fn 1 -> :one end)
    assert_raise FunctionClauseError, fn -> gen |> G.take(5) |> Enum.to_list() end
    assert_raise FunctionClauseError, fn -> G.each(G.take(gen, 5), fn _ -> :ok end) end
    {:one, gen} = G.next(gen)
    assert_raise FunctionClauseError, fn -> G.next(gen) end

    gen = G.map(G.counter(1), fn _ -> raise KeyError, key: :mine, term: %{} end)
    e = assert_raise KeyError, fn -> G.next(gen) end
    assert e.key == :mine
    assert_raise KeyError, fn -> G.reduce(G.take(gen, 2), 0, &(&1 + &2)) end
  end

  test "split/2 of more than 65,536 workers: an ArgumentError, at once" do
    gen = G.random([:a, :b], seed: 1)
    assert length(G.split(gen, 65_536)) == 65_536

    for n <- [65_537, 1 <<< 32, 1 <<< 64, 1 <<< 200] do
      assert_raise ArgumentError, ~r/^split\/2 expects n to be at most 65536 .*got: #{n}$/, fn ->
        G.split(gen, n)
      end
    end
  end
end
