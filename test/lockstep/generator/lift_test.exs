defmodule Lockstep.Generator.LiftTest do
  # A mix, concat or zip whose children are engine trees or maps over them is
  # run by the engine (Lockstep.Generator.Tree.lifted?/1): the engine tags
  # each op of a mix with the child that served it (a zip's element j is
  # child j's) and the map's function is applied here.
  # The oracle is the same tree with every map wrapped in a filter that
  # keeps everything, which the Elixir stepper runs op by op.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Tree

  def tag(op), do: {:m, op}
  def twice(op), do: {:t, op}
  def keep(_op), do: true

  # The stepped twin: each map child kept in a pass-all filter.
  defp stepped(%G{kind: kind, children: cs} = gen) when kind in [:mix, :concat, :zip] do
    %{gen | children: Enum.map(cs, &unlift/1)}
  end

  defp unlift(%G{kind: :map} = child), do: G.filter(child, &keep/1)
  defp unlift(child), do: child

  # The generator after n next/1 calls.
  defp after_pulls(gen, n), do: gen |> advance(n) |> elem(1)

  defp leaf(i) do
    case rem(i, 5) do
      0 -> G.random([:r, :w, :c], seed: i)
      1 -> G.integers(1..50, seed: i)
      2 -> G.weighted([x: 1, y: 3], seed: i)
      3 -> G.Workloads.register(seed: i)
      4 -> G.cycle([:p, :q])
    end
  end

  defp trees do
    a = G.take(leaf(0), 300)
    b = G.take(leaf(1), 500)
    inner = G.mix([leaf(2), G.take(leaf(3), 200)])

    for opts <- [
          [],
          [until: :all],
          [strategy: :random, seed: 4],
          [strategy: :random, seed: 4, until: :all],
          [strategy: :random, seed: 9, weights: [3, 1, 2]]
        ] do
      G.mix([G.map(a, &tag/1), b, G.map(G.map(inner, &tag/1), &twice/1)], opts)
    end ++
      [
        G.concat([G.take(G.map(a, &tag/1), 40), G.take(b, 30), G.map(leaf(4), &twice/1)]),
        G.mix([G.take(G.map(leaf(1), &tag/1), 70), G.map(G.take(leaf(3), 500), &twice/1)]),
        G.take(G.mix([G.map(leaf(0), &tag/1), leaf(4)]), 3_000),
        G.zip([
          leaf(4),
          G.map(leaf(1), &tag/1),
          G.map(G.map(G.take(leaf(3), 900), &tag/1), &twice/1)
        ]),
        G.take(G.zip([G.map(inner, &tag/1), G.counter(7)]), 1_000)
      ]
  end

  describe "Lift.apply_safe/3" do
    alias Lockstep.Generator.Lift

    test "a mix's ops go through the function of the child that served them" do
      lift = {:tags, {nil, &tag/1}}

      assert Lift.apply_safe([:a, :b, :c], lift, [0, 1, 1]) ==
               {:ok, [:a, {:m, :b}, {:m, :c}]}

      assert Lift.apply_safe([:a, :b], lift, [1, 0]) == {:ok, [{:m, :a}, :b]}
    end

    test "a zip's element j goes through child j's function" do
      lift = {:zip, [&twice/1, nil]}

      assert Lift.apply_safe([{1, 2}, {3, 4}], lift, []) ==
               {:ok, [{{:t, 1}, 2}, {{:t, 3}, 4}]}
    end

    test "where a function raises: the index of that op" do
      boom = fn
        :bad -> raise "boom"
        op -> op
      end

      assert {:raised, 2, {:error, %RuntimeError{message: "boom"}, [_ | _]}} =
               Lift.apply_safe([:a, :b, :bad, :c], {:tags, {boom}}, [0, 0, 0, 0])

      assert Lift.of(G.mix([G.cycle([1])]), :native) == nil
      assert {:tags, {f}} = Lift.of(G.mix([G.map(G.cycle([1]), &tag/1)]), :lifted)
      assert f.(1) == {:m, 1}
    end
  end

  test "the engine runs them, and gives the ops the stepper gives, on every path" do
    for gen <- trees() do
      assert Tree.lifted?(gen)
      twin = stepped(gen)
      refute Tree.lifted?(twin)
      expected = walk(twin, 2_500)
      assert length(expected) > 100

      assert walk(gen, 2_500) == expected
      assert Enum.take(gen, 2_500) == expected
      assert reduce_list(G.take(gen, 2_500)) == expected
      assert Enum.take(G.drop(gen, 123), 500) == Enum.slice(expected, 123, 500)

      # Mid-buffer, through term_to_binary and a drop.
      mid = after_pulls(gen, 77)
      copy = :erlang.binary_to_term(:erlang.term_to_binary(mid))
      assert walk(copy, 600) == Enum.slice(expected, 77, 600)
      assert walk(G.drop(mid, 10), 300) == Enum.slice(expected, 87, 300)
      assert mid.next_child == after_pulls(twin, 77).next_child
      assert mid.remaining == after_pulls(twin, 77).remaining
    end
  end

  test "a take on a map child bounds that child only; counts and exhaustion match" do
    gen = G.mix([G.take(G.map(leaf(1), &tag/1), 5), leaf(4)], until: :all) |> G.take(12)
    ops = Enum.to_list(gen)
    assert ops == walk(stepped(gen), 100)
    assert length(Enum.filter(ops, &match?({:m, _}, &1))) == 5
    assert length(ops) == 12
    assert Enum.count(gen) == 12
    assert G.each(G.mix([G.take(G.map(leaf(1), &tag/1), 5), leaf(4)]), fn _ -> :ok end) == 10
  end

  test "large pools: the lifted call runs on a dirty scheduler and still agrees" do
    big = G.random(Enum.to_list(1..100_000), seed: 6)
    gen = G.take(G.mix([G.map(big, &tag/1), leaf(4), G.map(leaf(1), &twice/1)]), 5_000)
    assert Tree.lifted?(gen)
    expected = walk(stepped(gen))
    assert length(expected) == 5_000
    assert walk(gen) == expected
    assert reduce_list(gen) == expected
  end

  test "a lifted mix inside a stepped one" do
    inner = G.mix([G.map(G.take(leaf(0), 50), &tag/1), leaf(4)])
    outer = G.mix([G.filter(leaf(1), &keep/1), inner], until: :all)
    refute Tree.lifted?(outer)
    twin = G.mix([G.filter(leaf(1), &keep/1), stepped(inner)], until: :all)
    assert walk(outer, 400) == walk(twin, 400)
  end
end
