defmodule Lockstep.Generator.OpTableTest do
  # Small register and bank workloads pick their ops from a constant op table
  # (Lockstep.Generator.OpTable) instead of building each op, and small
  # list-append workloads their read micro-ops: the same words, so the same
  # ops. Each tabled workload is compared here with the same
  # workload forced onto the building path (its params with `table: false`, its
  # pool the kind atoms), through every path that reads ops.
  use ExUnit.Case, async: true

  import Bitwise

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{OpTable, Params, Workloads}

  # The same workload, building its ops.
  defp built(%G{kind: kind, engine: %{params: %{table: true} = params} = e} = gen) do
    pool =
      Map.fetch!(
        %{
          register: {:read, :write, :cas},
          bank: {:transfer, :read},
          list_append: {:append, :r, nil}
        },
        kind
      )

    %{gen | engine: %{e | params: %{params | table: false}, pool: pool}}
  end

  defp next_list(gen, 0, acc), do: {Enum.reverse(acc), gen}

  defp next_list(gen, n, acc) do
    {op, gen} = G.next(gen)
    next_list(gen, n - 1, [op | acc])
  end

  defp assert_same(tabled) do
    assert tabled.engine.params.table
    plain = built(tabled)
    refute tabled.engine.pool == plain.engine.pool

    # Enum (one engine call), each/2 over many chunks, next/1 across refills,
    # a far drop, and a mix holding both.
    assert Enum.take(tabled, 300) == Enum.take(plain, 300)

    assert G.reduce(G.take(tabled, 9000), [], &[&1 | &2]) ==
             G.reduce(G.take(plain, 9000), [], &[&1 | &2])

    assert elem(next_list(tabled, 700, []), 0) == elem(next_list(plain, 700, []), 0)
    far = 1 <<< 40
    assert Enum.take(G.drop(tabled, far), 50) == Enum.take(G.drop(plain, far), 50)

    assert Enum.take(G.mix([tabled, G.cycle([:x])]), 200) ==
             Enum.take(G.mix([plain, G.cycle([:x])]), 200)
  end

  test "register: every constant table gives the ops the building path gives" do
    for first <- 0..1, count <- 1..8, seed <- [1, 99] do
      values = first..(first + count - 1)
      gen = Workloads.register(seed: seed, values: values)
      assert gen.engine.pool == OpTable.register(first, first + count - 1)
      assert_same(gen)
    end
  end

  test "register: weights, zero weights and swarm mixes agree too" do
    for mix <- [[read: 1, write: 3, cas: 2], [write: 1], [cas: 1, read: 0], :swarm],
        seed <- [3, 4] do
      assert_same(Workloads.register(seed: seed, mix: mix))
    end
  end

  test "bank: every constant table gives the ops the building path gives" do
    for accounts <- 2..5, max <- 1..5 do
      gen = Workloads.bank(seed: accounts * 10 + max, accounts: accounts, max_transfer: max)
      assert gen.engine.pool == OpTable.bank(accounts, max)
      assert_same(gen)
    end

    for mix <- [[transfer: 1], [read: 2, transfer: 1], :swarm] do
      assert_same(Workloads.bank(seed: 5, mix: mix))
    end
  end

  test "list_append: every read table gives the transactions the building path gives" do
    for keys <- 1..16, seed <- [2, 77] do
      gen = Workloads.list_append(seed: seed, keys: keys)
      assert gen.engine.pool == OpTable.list_append(keys)
      assert_same(gen)
    end

    for opts <- [[key_dist: :uniform], [mix: [read: 3, append: 1]], [mix: :swarm]],
        worker <- [0, 2] do
      gen = Workloads.list_append([seed: 6, keys: 5, workers: 3, worker: worker] ++ opts)
      assert_same(gen)
    end

    assert %{
             params: %Params.ListAppend{keys: 17, max_len: 4, workers: 1, worker: 0, table: false}
           } = Workloads.list_append(keys: 17).engine
  end

  test "larger workloads build their ops" do
    assert %{params: %Params.Register{first: 1, last: 9, weights: [1, 1, 1], table: false}} =
             Workloads.register(values: 1..9).engine

    assert %{params: %Params.Register{first: 2, last: 4, table: false}} =
             Workloads.register(values: 2..4).engine

    assert %{params: %Params.Bank{accounts: 6, max_amount: 5, table: false}} =
             Workloads.bank(accounts: 6).engine

    assert %{params: %Params.Bank{accounts: 5, max_amount: 6, table: false}} =
             Workloads.bank(max_transfer: 6).engine
  end

  test "a tabled workload survives term_to_binary and continues identically" do
    gen = Workloads.register(seed: 8)
    {_, mid} = next_list(gen, 100, [])
    copy = mid |> :erlang.term_to_binary() |> :erlang.binary_to_term()
    assert elem(next_list(copy, 500, []), 0) == elem(next_list(mid, 500, []), 0)
    assert Enum.take(copy, 10) == Enum.take(built(gen) |> G.drop(100), 10)
  end
end
