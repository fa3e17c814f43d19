defmodule Lockstep.Generator.KeyedTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator.{Keyed, Op}

  doctest Keyed

  test "Op.f/1 is the inner op's f; Op.value/1 is {key, the inner op's value}" do
    for {op, f, value} <- [
          {:read, :read, nil},
          {{:write, 3}, :write, 3},
          {{:cas, 1, 2}, :cas, {1, 2}},
          {{:transfer, 0, 1, 5}, :transfer, {0, 1, 5}},
          {[[:append, 1, 2], [:r, 1, nil]], :txn, [[:append, 1, 2], [:r, 1, nil]]},
          {17, 17, nil}
        ],
        key <- [0, :k, {:node, 2}, "key", nil] do
      keyed = %Keyed{key: key, op: op}
      assert Op.f(keyed) == f
      assert Op.value(keyed) == {key, value}
    end
  end

  test "a keyed op of a keyed op nests the keys" do
    inner = %Keyed{key: :b, op: {:write, 1}}
    assert Op.f(%Keyed{key: :a, op: inner}) == :write
    assert Op.value(%Keyed{key: :a, op: inner}) == {:a, {:b, 1}}
  end

  test "key and op are required" do
    assert_raise ArgumentError, ~r/:op/, fn -> struct!(Keyed, key: 1) end
    assert_raise ArgumentError, ~r/:key/, fn -> struct!(Keyed, op: :read) end
  end

  test "a map that is not a Keyed struct is still its own f, with value nil" do
    plain = %{key: 1, op: :read}
    assert Op.f(plain) == plain
    assert Op.value(plain) == nil
  end
end
