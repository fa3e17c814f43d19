defmodule Lockstep.Generator.SchedulerTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator.{Native, Scheduler}

  defp pools(leaves, size), do: List.duplicate(List.to_tuple(List.duplicate(:op, size)), leaves)

  test "a table build goes dirty exactly where the normal-scheduler NIF refuses it" do
    # table_new/1 (normal scheduler) takes at most its own bound; the
    # decision must send every longer list to table_new_dirty/1.
    for n <- [1, 256, 4096, 4097, 10_000] do
      weights = List.duplicate(1, n)
      normal = match?({:ok, _}, Native.table_new(weights))
      assert Scheduler.dirty?(:table, n) == not normal, "n = #{n}"
    end
  rescue
    ArgumentError -> :ok
  end

  test "trees: many leaves go dirty whether or not pools are read" do
    refute Scheduler.dirty?(:decode, pools(2048, 1))
    assert Scheduler.dirty?(:decode, pools(2049, 1))
    assert Scheduler.dirty?(:read, pools(2049, 1))
  end

  test "trees: large pools go dirty only when the call reads them" do
    big = pools(2, 20_000)
    assert Scheduler.dirty?(:read, big)
    refute Scheduler.dirty?(:decode, big)
    refute Scheduler.dirty?(:read, pools(2, 100))
  end

  test "refills of a tree of picks: by the pools one refill may read, not by the leaves" do
    # One leaf per op (at most 1,024 ops), each with its groups above it.
    refute Scheduler.dirty?(:refill, pools(100_000, 3))
    refute Scheduler.dirty?(:refill, pools(1_000_000, 20))
    assert Scheduler.dirty?(:refill, pools(100_000, 300))
    assert Scheduler.dirty?(:refill, pools(2, 200_000))
    refute Scheduler.dirty?(:refill, pools(2, 20_000))
    # Any other read of them all stays dirty.
    assert Scheduler.dirty?(:read, pools(100_000, 3))
  end

  test "tuples: long lists only" do
    refute Scheduler.dirty?(:tuple, 1_000)
    assert Scheduler.dirty?(:tuple, 5_000_000)
  end
end
