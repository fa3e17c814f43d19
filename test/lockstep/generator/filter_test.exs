defmodule Lockstep.Generator.FilterTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Filter

  test "reject/2: the max-th rejection in a row is too many" do
    assert Filter.reject(0, 3) == {:ok, 1}
    assert Filter.reject(1, 3) == {:ok, 2}
    assert Filter.reject(2, 3) == :too_many
    assert Filter.reject(0, 1) == :too_many
  end

  test "chunk/4 keeps ops in order and carries the run of rejections across chunks" do
    even? = &(rem(&1, 2) == 0)
    assert Filter.chunk([1, 2, 3, 4, 5], even?, 10, 0) == {[2, 4], 1}
    assert Filter.chunk([1, 3], even?, 10, 1) == {[], 3}

    assert_raise RuntimeError, ~r/rejected 4 ops in a row/, fn ->
      Filter.chunk([1, 3], even?, 4, 2)
    end

    # A kept op resets the run.
    assert Filter.chunk([1, 2, 3], even?, 3, 1) == {[2], 1}
  end

  test "next/1, each/2 and a supplied filter give up after the same rejections" do
    # Ops 1..4 rejected, 5 kept: with max 5 every path keeps 5; with max 4
    # every path raises before it.
    gen = fn max -> G.filter(G.cycle([1, 2, 3, 4, 5]), &(&1 == 5), max_rejections: max) end

    assert Enum.take(gen.(5), 2) == [5, 5]
    assert G.each(G.take(gen.(5), 2), fn _ -> :ok end) == 2
    assert Enum.take(G.mix([gen.(5), G.cycle([:x])]), 4) == [5, :x, 5, :x]

    assert_raise RuntimeError, fn -> G.next(gen.(4)) end
    assert_raise RuntimeError, fn -> G.each(G.take(gen.(4), 2), fn _ -> :ok end) end
    assert_raise RuntimeError, fn -> Enum.take(G.mix([gen.(4), G.cycle([:x])]), 2) end
  end
end
