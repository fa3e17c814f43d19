defmodule Lockstep.GeneratorMixExhaustionTest do
  # The pull-based exhaustion rule for mixes (the rule of the core rewrite):
  #
  #   * round-robin, `until: :any` (default): the mix asks the child whose turn
  #     it is and is done when THAT child answers :done. So
  #     `mix([take(a, 2), b])` is a, b, a, b, and a mix of two `take(_, 50)`
  #     yields 100 ops.
  #   * round-robin, `until: :all`: a child that answers :done is skipped; the
  #     mix is done when every child is.
  #   * `strategy: :random`, `until: :any`: done when the PICKED child answers
  #     :done (op i's pick is word i of the mix's stream, docs/STREAM.md).
  #     With `until: :all`, a done pick moves to the next live child in list
  #     order, wrapping.
  #   * concat: each phase until it answers :done.
  #   * nested: an inner mix answers :done under the same rule, then the outer
  #     one applies its rule to that answer.
  #
  # Each expected list is checked through every path (next/1, Enum, each/2,
  # reduce/3, Enum.count/1, drop/2). The rule before the rewrite checked
  # exhaustion before each pull (`mix([take(a, 1), b])` yielded one op), so
  # the :any cases here fail on that core.
  use ExUnit.Case, async: true

  @moduletag :pull_rule

  import Lockstep.GeneratorHelpers, only: [walk: 2, advance: 2]

  alias Lockstep.Generator, as: G

  defp a, do: G.cycle([:a])
  defp b, do: G.cycle([:b])
  defp c, do: G.cycle([:c])

  defp next_all(g, acc \\ []) do
    case G.next(g) do
      :done -> Enum.reverse(acc)
      {op, g} -> next_all(g, [op | acc])
    end
  end

  # Each path paired with its name, so a failure shows which path and both lists.
  defp assert_ops(g, expected) do
    assert {:next_loop, next_all(g)} == {:next_loop, expected}
    assert {:to_list, Enum.to_list(g)} == {:to_list, expected}
    assert {:take, Enum.take(g, length(expected) + 5)} == {:take, expected}
    assert {:reduce, g |> G.reduce([], &[&1 | &2]) |> Enum.reverse()} == {:reduce, expected}
    assert {:each_count, G.each(g, fn _ -> :ok end)} == {:each_count, length(expected)}
    assert {:count, Enum.count(g)} == {:count, length(expected)}

    for k <- 0..(length(expected) + 1) do
      assert {{:drop, k}, next_all(G.drop(g, k))} == {{:drop, k}, Enum.drop(expected, k)}
    end
  end

  describe "round-robin, until: :any (default)" do
    test "done when the child whose turn it is answers :done" do
      assert_ops(G.mix([G.take(a(), 2), b()]), [:a, :b, :a, :b])
      assert_ops(G.mix([G.take(a(), 1), b()]), [:a, :b])
      assert_ops(G.mix([a(), G.take(b(), 1)]), [:a, :b, :a])
      assert_ops(G.mix([G.take(a(), 0), b()]), [])
      assert_ops(G.mix([a(), G.take(b(), 0)]), [:a])
      assert_ops(G.mix([a(), G.take(b(), 2), G.take(c(), 1)]), [:a, :b, :c, :a, :b])
      assert_ops(G.mix([G.take(a(), 2), b()], until: :any), [:a, :b, :a, :b])
    end

    test "two take(_, 50) children give 100 ops" do
      g = G.mix([G.take(G.cycle([:r]), 50), G.take(G.cycle([:w]), 50)])
      assert_ops(g, List.flatten(List.duplicate([:r, :w], 50)))
    end

    test "longer takes, past the prefetch buffers" do
      g = G.mix([G.take(G.counter(1), 300), G.take(G.counter(1001), 299)])
      expected = Enum.flat_map(1..299, &[&1, &1 + 1000]) ++ [300]
      assert_ops(g, expected)
    end

    test "a filter child is done when it answers :done" do
      f = G.filter(G.take(G.counter(1), 4), &(&1 <= 2))
      assert_ops(G.mix([f, b()]), [1, :b, 2, :b])
    end

    test "take/2 on the mix still caps it" do
      assert_ops(G.take(G.mix([G.take(a(), 3), b()]), 4), [:a, :b, :a, :b])
      assert_ops(G.take(G.mix([G.take(a(), 3), b()]), 9), [:a, :b, :a, :b, :a, :b])
    end
  end

  describe "round-robin, until: :all" do
    test "children that answer :done are skipped; done when all are" do
      assert_ops(G.mix([G.take(a(), 1), G.take(b(), 3)], until: :all), [:a, :b, :b, :b])

      assert_ops(
        G.mix([G.take(a(), 2), b(), G.take(c(), 1)], until: :all) |> G.take(8),
        [:a, :b, :c, :a, :b, :b, :b, :b]
      )

      assert_ops(G.mix([G.take(a(), 0), G.take(b(), 2)], until: :all), [:b, :b])
      assert_ops(G.mix([G.take(a(), 0), G.take(b(), 0)], until: :all), [])
    end

    test "a filter child is skipped once it answers :done" do
      f = G.filter(G.take(G.counter(1), 4), &(&1 <= 2))
      assert_ops(G.mix([f, G.take(b(), 3)], until: :all), [1, :b, 2, :b, :b])
    end
  end

  # Picks of `mix([cycle([0]), cycle([1])], strategy: :random, seed: s)`
  # (word i of the mix's stream), the same under either rule:
  #   seed 11: 0 1 0 0 1 0 0 0 0 0 1 0 0 1 1 1
  #   seed 12: 0 1 1 1 1 0 0 0 0 1 0 0 1 0 0 0
  # and with three children and weights: [1, 2, 1]:
  #   seed 13: 0 2 1 0 2 2 2 1 1 2 1 0 0 1 1 1
  describe "strategy: :random" do
    test "the picks themselves" do
      two = [G.cycle([0]), G.cycle([1])]
      three = [G.cycle([0]), G.cycle([1]), G.cycle([2])]

      assert Enum.take(G.mix(two, strategy: :random, seed: 11), 16) ==
               [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1]

      assert Enum.take(G.mix(two, strategy: :random, seed: 12), 16) ==
               [0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0]

      assert Enum.take(G.mix(three, strategy: :random, seed: 13, weights: [1, 2, 1]), 16) ==
               [0, 2, 1, 0, 2, 2, 2, 1, 1, 2, 1, 0, 0, 1, 1, 1]
    end

    test "until: :any is done when the picked child answers :done" do
      # seed 12: a, b b b b, then a is picked again and is done.
      assert_ops(G.mix([G.take(a(), 1), b()], strategy: :random, seed: 12), [
        :a,
        :b,
        :b,
        :b,
        :b
      ])

      assert_ops(G.mix([G.take(a(), 2), b()], strategy: :random, seed: 12), [
        :a,
        :b,
        :b,
        :b,
        :b,
        :a
      ])

      # seed 11: a, b, a, a, then b is picked and is done.
      assert_ops(G.mix([a(), G.take(b(), 1)], strategy: :random, seed: 11), [:a, :b, :a, :a])

      # seed 13, weights [1, 2, 1]: a, c, b, then a is picked and is done.
      assert_ops(
        G.mix([G.take(a(), 1), G.take(b(), 2), c()],
          strategy: :random,
          seed: 13,
          weights: [1, 2, 1]
        ),
        [:a, :c, :b]
      )

      # A child never picked never ends the mix.
      assert_ops(
        G.mix([G.take(a(), 0), b()], strategy: :random, seed: 12, weights: [0, 1]) |> G.take(5),
        [:b, :b, :b, :b, :b]
      )
    end

    test "until: :all moves a done pick to the next live child" do
      # seed 11: picks 0 1 0 0 1 ...: a b a, then a is done so b, b.
      assert_ops(
        G.mix([G.take(a(), 2), G.take(b(), 3)], strategy: :random, seed: 11, until: :all),
        [:a, :b, :a, :b, :b]
      )

      f = G.filter(G.take(G.counter(1), 3), &(&1 != 2))

      assert_ops(
        G.mix([f, G.take(b(), 4)], strategy: :random, seed: 11, until: :all),
        [1, :b, 3, :b, :b, :b]
      )
    end
  end

  describe "the engine and the Elixir stepper agree" do
    # A mix holding a filter runs op by op in Elixir (Lockstep.Generator.Driver,
    # with prefetched picks for random mixes); one holding a map over an
    # engine tree is run by the engine, the map applied to the ops its child
    # served (Tree.lifted?/1); without either the engine runs it plainly.
    # Child 0's ops are integers, child 1's atoms, so mapping only the
    # integers turns the plain answer into the other two.
    test "random and round-robin mixes, weighted or not, until :any and :all, past the pick buffer" do
      ints = G.take(G.random(Enum.to_list(1..9), seed: 5), 400)
      atoms = G.take(G.cycle([:a, :b, :c]), 700)
      f = fn x -> {:m, x} end
      mapped = fn ops -> Enum.map(ops, &if(is_integer(&1), do: f.(&1), else: &1)) end

      for opts <- [
            [],
            [until: :all],
            [strategy: :random, seed: 3],
            [strategy: :random, seed: 3, until: :all],
            [strategy: :random, seed: 8, weights: [1, 3]],
            [strategy: :random, seed: 8, weights: [1, 3], until: :all]
          ],
          child <- [G.map(ints, f), G.filter(G.map(ints, f), fn _ -> true end)] do
        engine = G.mix([ints, atoms], opts)
        stepped = G.mix([child, atoms], opts)
        assert Lockstep.Generator.Tree.lifted?(stepped) == (child.kind == :map)
        expected = mapped.(walk(engine, 2_000))
        assert length(expected) > 400, inspect(opts)
        assert walk(stepped, 2_000) == expected, inspect(opts)
        assert Enum.to_list(stepped) == expected, inspect(opts)
        # Mid-stream through term_to_binary and drop/2.
        {_, mid} = advance(stepped, 150)
        copy = :erlang.binary_to_term(:erlang.term_to_binary(mid))
        assert walk(copy, 2_000) == Enum.drop(expected, 150), inspect(opts)
        assert walk(G.drop(stepped, 150), 2_000) == Enum.drop(expected, 150), inspect(opts)
      end
    end
  end

  describe "concat" do
    test "each phase until it answers :done" do
      f = G.filter(G.take(G.counter(1), 3), &(&1 != 2))

      g =
        G.concat([G.take(G.cycle([:s]), 2), G.take(a(), 0), f, G.cycle([:t])])
        |> G.take(7)

      assert_ops(g, [:s, :s, 1, 3, :t, :t, :t])
      assert_ops(G.concat([G.take(a(), 1), G.take(b(), 2)]), [:a, :b, :b])
    end

    test "a concat phase that is a mix ends by the mix rule" do
      g = G.concat([G.mix([G.take(a(), 1), b()]), G.take(c(), 2)])
      assert_ops(g, [:a, :b, :c, :c])
    end
  end

  describe "nested" do
    test "an inner mix is done when its own turn child is; the outer mix then ends" do
      inner = G.mix([G.take(a(), 1), b()])
      # outer: inner (a), c, inner (b), c, inner (a's turn: done) -> done.
      assert_ops(G.mix([inner, c()]), [:a, :c, :b, :c])
    end

    test "an inner mix capped by take/2 answers :done when its turn comes" do
      inner = G.take(G.mix([a(), b()]), 3)
      assert_ops(G.mix([inner, c()]), [:a, :c, :b, :c, :a, :c])
    end

    test "an inner mix under until: :all outer" do
      inner = G.mix([G.take(a(), 1), b()])
      assert_ops(G.mix([inner, G.take(c(), 3)], until: :all), [:a, :c, :b, :c, :c])
    end

    test "a random mix inside a round-robin mix" do
      # inner picks (seed 12): 0 1 1 1 1 ...: a, b; then a is picked: done.
      inner = G.mix([G.take(a(), 1), b()], strategy: :random, seed: 12)
      assert_ops(G.mix([inner, c()]), [:a, :c, :b, :c, :b, :c, :b, :c, :b, :c])
    end
  end
end
