defmodule Lockstep.Generator.OpTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Op, Workloads}

  doctest Op

  test "f and value of each of Lockstep's op shapes, one by one" do
    assert {Op.f(:read), Op.value(:read)} == {:read, nil}
    assert {Op.f({:write, 3}), Op.value({:write, 3})} == {:write, 3}
    assert {Op.f({:cas, 1, 2}), Op.value({:cas, 1, 2})} == {:cas, {1, 2}}
    assert Op.value({:f, :a, :b, :c, :d}) == {:a, :b, :c, :d}
    txn = [[:append, 1, 2], [:r, 1, nil]]
    assert {Op.f(txn), Op.value(txn)} == {:txn, txn}
    assert {Op.f([]), Op.value([])} == {:txn, []}
    assert {Op.f({:transfer, 0, 1, 5}), Op.value({:transfer, 0, 1, 5})} == {:transfer, {0, 1, 5}}
    # A one-argument tuple value is the argument itself, even a tuple.
    assert Op.value({:write, {1, 2}}) == {1, 2}
    assert {Op.f({:noop}), Op.value({:noop})} == {:noop, nil}
  end

  test "terms outside Lockstep's shapes are their own f, with value nil" do
    for op <- [17, -1, 2.5, "x", {}, {1, 2}, %{a: 1}, {"k", 1}] do
      assert Op.f(op) == op
      assert Op.value(op) == nil
    end
  end

  test "every workload's ops have the f and value Lockstep's models expect" do
    for op <- Enum.take(Workloads.register(seed: 1), 200) do
      case op do
        :read -> assert {Op.f(op), Op.value(op)} == {:read, nil}
        {:write, v} -> assert {Op.f(op), Op.value(op)} == {:write, v}
        {:cas, a, b} -> assert {Op.f(op), Op.value(op)} == {:cas, {a, b}}
      end
    end

    for op <- Enum.take(Workloads.bank(seed: 1), 200) do
      case op do
        :read -> assert Op.f(op) == :read
        {:transfer, f, t, a} -> assert {Op.f(op), Op.value(op)} == {:transfer, {f, t, a}}
      end
    end

    for txn <- Enum.take(Workloads.list_append(seed: 1), 50) do
      assert {Op.f(txn), Op.value(txn)} == {:txn, txn}
    end
  end

  test "Op.f and Op.value reassemble the op" do
    ops = Enum.take(G.random([:read, {:write, 1}, {:cas, 1, 2}, {:t, 1, 2, 3}], seed: 5), 100)

    for op <- ops do
      rebuilt =
        case {Op.f(op), Op.value(op)} do
          {f, nil} -> f
          {f, v} when is_tuple(v) -> List.to_tuple([f | Tuple.to_list(v)])
          {f, v} -> {f, v}
        end

      assert rebuilt == op
    end
  end
end
