defmodule Lockstep.NativeJunkTest do
  # Junk terms at every entry point of the NIF. Each call must either return a
  # well-formed answer (checked against a model of what the arguments mean) or
  # raise ArgumentError / ErlangError; and the VM must survive it all.
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Native

  @max_u64 (1 <<< 64) - 1
  @max_pool (1 <<< 32) - 1
  @max_chunk 4096
  @rounds 3000

  @covered [
    table_new: 1,
    table_new_dirty: 1,
    table_live: 1,
    tuple_dirty: 1,
    call: 1,
    call_dirty: 1,
    leaf_chunk: 8,
    plan_new: 2,
    plan_new_dirty: 2,
    plan_chunk: 3,
    plan_chunk_leaves: 3,
    plan_chunk_leaves_dirty: 3,
    plan_refill: 5,
    plan_refill_dirty: 5,
    plan_seek: 2,
    plan_seek_dirty: 2,
    run_dirty: 3,
    fork_stream: 2,
    run: 3
  ]

  # ---------------------------------------------------------------------------
  # Random terms, all drawn from the process's :rand state (seeded per test).

  defp pick(list), do: Enum.at(list, :rand.uniform(length(list)) - 1)
  defp chance(p), do: :rand.uniform() < p

  defp u64 do
    pick([
      fn -> 0 end,
      fn -> 1 end,
      fn -> :rand.uniform(1000) end,
      fn -> @max_u64 end,
      fn -> @max_u64 - :rand.uniform(1000) end,
      fn -> :rand.uniform(@max_u64) end,
      fn -> 1 <<< 32 end,
      fn -> @max_pool end
    ]).()
  end

  defp bad_int do
    pick([-1, -(1 <<< 63), -(1 <<< 64), 1 <<< 64, (1 <<< 64) + 1, 1 <<< 200, -(1 <<< 200)])
  end

  defp scalar do
    case :rand.uniform(16) do
      1 -> pick([:random, :cycle, :weighted, nil, true, false, :infinity, :any, :all])
      2 -> pick([:leaf, :mix, :ok, :error, :stale_table, :"", :"with space"])
      3 -> u64()
      4 -> bad_int()
      5 -> :rand.uniform(20) - 10
      6 -> pick([0.0, -0.0, 1.5, -3.0, 1.0e300, 4096.0])
      7 -> :crypto.strong_rand_bytes(:rand.uniform(20) - 1)
      8 -> pick(["", "abc", <<1::3>>, <<255, 0, 1>>])
      9 -> self()
      10 -> make_ref()
      11 -> pick([fn -> :ok end, fn x -> x end, &Enum.map/2])
      12 -> pick([%{}, %{a: 1}, %{{:leaf} => [1]}, MapSet.new([1])])
      13 -> pick(Port.list() ++ [self()])
      14 -> resource()
      15 -> pick([[], {}, [[]], {{}}])
      16 -> Enum.random(0..4096)
    end
  end

  # A live table or cursor resource (of this VM), or a stale copy of one.
  defp resource do
    case :rand.uniform(3) do
      1 -> elem(pick(tables()), 0)
      2 -> cursor()
      3 -> make_ref()
    end
  end

  # Live tables of the test process, built once per process.
  defp tables do
    case Process.get(:tables) do
      nil ->
        tables = build_tables()
        Process.put(:tables, tables)
        tables

      tables ->
        tables
    end
  end

  # {table, weights}
  defp build_tables do
    for weights <- [[1], [0, 3], [1, 2, 3, 4], [0, 5, 0, 1], Enum.to_list(0..19), [@max_u64]] do
      assert {:ok, table} = Native.table_new(weights)
      {table, weights}
    end
  end

  # A live cursor; remembered so that junk containing one can be recognised.
  defp cursor do
    {:ok, c} = Native.plan_new({:leaf, :cycle, 3, {0, 0}, 0, 0, :infinity}, 3)
    Process.put(:cursors, [c | Process.get(:cursors, [])])
    c
  end

  defp live_cursor?(x), do: Enum.any?(Process.get(:cursors, []), &(&1 === x))

  defp junk(depth \\ 3)
  defp junk(0), do: scalar()

  defp junk(depth) do
    case :rand.uniform(10) do
      n when n <= 4 ->
        scalar()

      5 ->
        List.to_tuple(for _ <- 1..:rand.uniform(9), do: junk(depth - 1))

      6 ->
        for _ <- 1..:rand.uniform(6), do: junk(depth - 1)

      7 ->
        # improper list
        for(_ <- 1..:rand.uniform(4), do: junk(depth - 1)) ++ scalar()

      8 ->
        %{junk(depth - 1) => junk(depth - 1)}

      9 ->
        leaf_spec(depth - 1, true)

      10 ->
        mix_spec(depth - 1, true)
    end
  end

  defp maybe(valid, junky), do: if(junky and chance(0.2), do: junk(1), else: valid)

  # ---------------------------------------------------------------------------
  # Plan specs, valid or broken, plus a model of whether plan_new accepts them.

  defp leaf_spec(_depth, junky) do
    kind = pick([:random, :cycle, :weighted])

    # A weighted leaf's kind is its table.
    {kind, n} =
      case kind do
        :weighted ->
          {table, weights} = pick(tables())
          {if(chance(0.1), do: make_ref(), else: table), length(weights)}

        _ ->
          {kind, pick([1, 2, 3, 5, 17, 1000, @max_pool, 0, @max_pool + 1])}
      end

    n = if not is_atom(kind) and chance(0.05), do: n + 1, else: n

    {:leaf, maybe(kind, junky), maybe(n, junky),
     maybe({pick([0, 1, 2, 3, @max_u64]), u64()}, junky), maybe(u64(), junky),
     maybe(u64(), junky), maybe(pick([:infinity, 0, 1, 5, 100, @max_u64]), junky)}
  end

  defp mix_spec(depth, junky) do
    children =
      for _ <- 1..Enum.random(0..3) do
        if depth > 0 and chance(0.4), do: mix_spec(depth - 1, junky), else: leaf_spec(0, junky)
      end

    next_child = if chance(0.9), do: Enum.random(0..max(length(children) - 1, 0)), else: 7

    {:mix, maybe(pick([:any, :all]), junky), maybe(next_child, junky),
     maybe(pick([:infinity, 0, 3, 50]), junky), maybe(children, junky),
     maybe(pick([:round_robin, :concat]), junky)}
  end

  defp u64?(x), do: is_integer(x) and x >= 0 and x <= @max_u64

  # Weights the engine builds a table from inside the call.
  defp inline_weights?(ws, n) do
    proper_nonempty?(ws) and length(ws) == n and n <= 256 and Enum.all?(ws, &u64?/1) and
      Enum.sum(ws) in 1..@max_u64
  end

  defp live_table?(x), do: Enum.any?(tables(), fn {t, _} -> t === x end)

  defp table_size(x), do: Enum.find_value(tables(), fn {t, w} -> t === x and length(w) end)

  # {:ok, pool_end} | :error, for a spec decoded at nesting level `level`.
  defp model(spec, level, offset) do
    cond do
      level > 64 ->
        :error

      match?({:leaf, _, _, _, _, _, _}, spec) ->
        {:leaf, kind, n, seed, stream, pos, rem} = spec

        ok =
          u64?(n) and u64?(stream) and u64?(pos) and remaining?(rem) and
            match?({d, v} when is_integer(d) and is_integer(v), seed) and
            u64?(elem(seed, 0)) and u64?(elem(seed, 1)) and
            case kind do
              k when k in [:random, :cycle] -> n >= 1 and n <= @max_pool
              k when is_atom(k) -> false
              ws when is_list(ws) -> inline_weights?(ws, n)
              table -> live_table?(table) and table_size(table) == n
            end

        if ok, do: {:ok, offset + n}, else: :error

      match?({:mix, _, _, _, _, _}, spec) ->
        {:mix, until, next_child, rem, children, strategy} = spec

        if until in [:any, :all] and u64?(next_child) and remaining?(rem) and
             strategy in [:round_robin, :concat] and
             proper_nonempty?(children) and next_child < length(children) do
          Enum.reduce_while(children, {:ok, offset}, fn child, {:ok, off} ->
            case model(child, level + 1, off) do
              {:ok, off} -> {:cont, {:ok, off}}
              :error -> {:halt, :error}
            end
          end)
        else
          :error
        end

      true ->
        :error
    end
  end

  defp remaining?(r), do: r == :infinity or u64?(r)

  defp proper_nonempty?([_ | _] = list), do: proper?(list)
  defp proper_nonempty?(_), do: false

  defp proper?([]), do: true
  defp proper?([_ | t]), do: proper?(t)
  defp proper?(_), do: false

  # ---------------------------------------------------------------------------

  # A run/3 ops request (native/lockstep_nif/src/request.rs).
  defp ops(k, record, state \\ true),
    do: {:ops, k, flag(record, :record, :plain), :untagged, flag(state, :state, :stateless)}

  defp flag(true, yes, _no), do: yes
  defp flag(false, _yes, no), do: no

  # Runs `fun`; returns {:ok, result} or {:raised, exception}. Anything other than
  # ArgumentError/ErlangError propagates and fails the test.
  defp call(fun) do
    {:ok, fun.()}
  rescue
    e in [ArgumentError, ErlangError] -> {:raised, e}
  end

  setup do
    :rand.seed(:exsss, {2024, 11, 24})
    :ok
  end

  test "every NIF entry point is covered by this file" do
    exported = Native.__info__(:functions) -- [load_nif: 0]
    assert exported -- @covered == [], "new NIF entry points need junk tests"
  end

  test "table_new/1 and table_new_dirty/1 with junk" do
    for i <- 1..@rounds do
      weights =
        case rem(i, 4) do
          0 -> junk()
          1 -> for _ <- 1..Enum.random(0..8), do: pick([0, 1, 7, u64()])
          2 -> for _ <- 1..Enum.random(1..8), do: if(chance(0.2), do: scalar(), else: u64())
          3 -> for _ <- 1..Enum.random(0..5), do: Enum.random(0..3)
        end

      valid_list? = is_list(weights) and proper?(weights) and Enum.all?(weights, &u64?/1)

      for {fun, result} <- [
            table_new: call(fn -> Native.table_new(weights) end),
            table_new_dirty: call(fn -> Native.table_new_dirty(weights) end)
          ] do
        if valid_list? do
          total = Enum.sum(weights)

          cond do
            weights == [] -> assert {:ok, {:error, "the pool of ops is empty"}} = result
            total == 0 -> assert {:ok, {:error, "all weights are zero"}} = result
            total > @max_u64 -> assert {:ok, {:error, "the weights add up" <> _}} = result
            true -> assert match?({:ok, {:ok, _}}, result), "#{fun} #{inspect(weights)}"
          end

          with {:ok, {:ok, table}} <- result do
            assert Native.table_live(table) == true
            # The table picks only positive weights.
            picks = Native.leaf_chunk(:weighted, length(weights), table, {0, i}, 0, 0, 50, nil)
            assert Enum.all?(picks, &(Enum.at(weights, &1) > 0))
          end
        else
          assert match?({:raised, _}, result), "#{fun} #{inspect(weights)} -> #{inspect(result)}"
        end
      end
    end
  end

  test "short weight lists picked inline (tables cached per thread) pick as their built table" do
    # Near-duplicate lists, more than the cache holds, in a random order:
    # every hit must be the table of exactly these weights.
    lists =
      for a <- 0..3, b <- [1, 2], c <- [0, 7], n <- [2, 3, 16, 17] do
        Enum.take([a, b, c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], n)
      end
      |> Enum.reject(&(Enum.sum(&1) == 0))

    for round <- 1..3, weights <- Enum.shuffle(lists) do
      n = length(weights)
      {:ok, table} = Native.table_new(weights)
      seed = {0, round * 1000 + n}
      inline = Native.leaf_chunk(:weighted, n, weights, seed, 0, 0, 200, nil)
      built = Native.leaf_chunk(:weighted, n, table, seed, 0, 0, 200, nil)
      assert inline == built, inspect(weights)
    end
  end

  test "table_new/1 refuses more than 4096 weights, table_new_dirty/1 takes them" do
    weights = List.duplicate(1, 4097)
    assert_raise ArgumentError, fn -> Native.table_new(weights) end
    assert {:ok, table} = Native.table_new_dirty(weights)
    assert Native.table_live(table)
    assert {:ok, _} = Native.table_new(List.duplicate(1, 4096))
  end

  test "call/1 and call_dirty/1 with junk tags and junk arguments raise ArgumentError" do
    tags = [
      :table_new,
      :table_live,
      :tuple,
      :fork_stream,
      :plan_new,
      :plan_chunk,
      :plan_chunk_leaves,
      :plan_refill,
      :plan_seek,
      :run,
      :nope
    ]

    for _ <- 1..@rounds do
      term =
        if chance(0.7),
          do: List.to_tuple([pick(tags) | for(_ <- 0..Enum.random(0..6)//1, do: junk(2))]),
          else: junk()

      for nif <- [&Native.call/1, &Native.call_dirty/1] do
        case call(fn -> nif.(term) end) do
          {:ok, _answer} -> :ok
          {:raised, e} -> assert %ArgumentError{} = e
        end
      end
    end

    # A well-formed call answers as the named function does.
    assert Native.call({:fork_stream, 0, {0, 1}}) == Native.fork_stream(0, {0, 1})
    assert Native.call({:table_live, make_ref()}) == false
    assert_raise ArgumentError, fn -> Native.call({:table_new, List.duplicate(1, 5000)}) end
    assert {:ok, _table} = Native.call_dirty({:table_new, List.duplicate(1, 5000)})
  end

  test "tuple_dirty/1: a proper list's tuple, junk raises ArgumentError" do
    for _ <- 1..@rounds do
      term = junk()

      case call(fn -> Native.tuple_dirty(term) end) do
        {:ok, tuple} -> assert proper?(term) and tuple == List.to_tuple(term)
        {:raised, %ArgumentError{}} -> refute proper?(term)
      end
    end

    assert Native.tuple_dirty([]) == {}
    list = Enum.to_list(1..300_000)
    assert Native.tuple_dirty(list) == List.to_tuple(list)
  end

  test "table_live/1 with junk is a boolean, true only for live tables" do
    for _ <- 1..@rounds do
      term = junk()
      assert Native.table_live(term) == live_table?(term)
    end

    for {table, _} <- tables(), do: assert(Native.table_live(table))
    refute Native.table_live(cursor())
    copy = :erlang.binary_to_term(:erlang.term_to_binary(elem(hd(tables()), 0)))
    assert is_boolean(Native.table_live(copy))
  end

  # One leaf_chunk argument list: fields valid with probability 0.85 each.
  defp leaf_args do
    kind = maybe(pick([:random, :cycle, :weighted]), true)

    {n, table} =
      if kind == :weighted and chance(0.9) do
        {table, weights} = pick(tables())
        {length(weights), table}
      else
        {pick([1, 2, 3, 5, 64, 1000, 0, @max_pool, @max_pool + 1]), pick([nil, resource()])}
      end

    n = maybe(n, true)
    k = if chance(0.85), do: Enum.random(0..@max_chunk), else: pick([4097, 100_000, -1, 1.0])

    pool =
      cond do
        chance(0.3) -> nil
        chance(0.15) -> junk(1)
        is_integer(n) and n <= 2000 and chance(0.9) -> pool_tuple(n + Enum.random(0..2))
        true -> pool_tuple(Enum.random(0..6))
      end

    [
      kind,
      n,
      maybe(table, true),
      maybe({pick([0, 1, 2, @max_u64]), u64()}, true),
      maybe(u64(), true),
      maybe(pick([0, 1, 63, 4096, u64(), @max_u64]), true),
      k,
      pool
    ]
  end

  defp pool_tuple(size), do: List.to_tuple(for i <- 0..(size - 1)//1, do: {:op, i})

  defp leaf_valid?([kind, n, table, seed, stream, pos, k, pool]) do
    kind in [:random, :cycle, :weighted] and u64?(n) and u64?(stream) and u64?(pos) and
      match?({d, v} when is_integer(d) and is_integer(v), seed) and u64?(elem(seed, 0)) and
      u64?(elem(seed, 1)) and is_integer(k) and k >= 0 and k <= @max_chunk and
      (pool == nil or (is_tuple(pool) and tuple_size(pool) >= n)) and
      case kind do
        :weighted -> table_size(table) == n
        _ -> n >= 1 and n <= @max_pool
      end
  end

  test "leaf_chunk/8 with junk" do
    outcomes =
      for _ <- 1..(@rounds * 2) do
        args = leaf_args()
        [kind, n, table, _seed, _stream, pos, k, pool] = args
        result = call(fn -> apply(Native, :leaf_chunk, args) end)

        if leaf_valid?(args) do
          assert match?({:ok, _}, result), "leaf_chunk#{inspect(args)} -> #{inspect(result)}"
          {:ok, ops} = result
          assert is_list(ops) and length(ops) == k

          # Pool entries each op may be (by index): all of 0..n-1, only the
          # positive weights, or exactly (pos + i) mod n for a cycle.
          allowed =
            case kind do
              :weighted ->
                weights = Enum.find_value(tables(), fn {t, w} -> t === table and w end)
                for {w, j} <- Enum.with_index(weights), w > 0, do: j

              _ ->
                nil
            end

          entry = fn j -> if pool == nil, do: j, else: elem(pool, j) end

          cond do
            kind == :cycle ->
              assert ops == for(i <- 0..(k - 1)//1, do: entry.(rem(pos + i, n)))

            allowed != nil ->
              candidates = Enum.map(allowed, entry)
              assert Enum.all?(ops, &(&1 in candidates))

            pool == nil ->
              assert Enum.all?(ops, &(is_integer(&1) and &1 >= 0 and &1 < n))

            true ->
              candidates = pool |> Tuple.to_list() |> Enum.take(n)
              assert Enum.all?(ops, &(&1 in candidates))
          end

          # Pure: the same arguments give the same ops.
          assert apply(Native, :leaf_chunk, args) == ops
          :valid
        else
          case result do
            {:raised, _} ->
              :raised

            {:ok, {:error, :stale_table}} when kind == :weighted ->
              assert(not live_table?(table)) && :stale

            other ->
              flunk("leaf_chunk#{inspect(args)} gave #{inspect(other)}")
          end
        end
      end

    # The corpus exercised every outcome.
    freq = Enum.frequencies(outcomes)
    assert freq[:valid] > 500
    assert freq[:raised] > 500
    assert freq[:stale] > 10
  end

  test "leaf_chunk/8 targeted cases" do
    {table, _} = Enum.find(tables(), fn {_, w} -> w == [1, 2, 3, 4] end)

    # A pool tuple smaller than n.
    assert_raise ArgumentError, fn ->
      Native.leaf_chunk(:random, 5, nil, {0, 1}, 0, 0, 10, {:a, :b, :c})
    end

    assert_raise ArgumentError, fn ->
      Native.leaf_chunk(:cycle, 2, nil, {0, 0}, 0, 0, 1, {:a})
    end

    assert_raise ArgumentError, fn ->
      Native.leaf_chunk(:weighted, 4, table, {0, 1}, 0, 0, 10, {:a, :b, :c})
    end

    # n = 0, n past 2^32 - 1, k past 4096, a table of another size.
    assert_raise ArgumentError, fn -> Native.leaf_chunk(:random, 0, nil, {0, 1}, 0, 0, 1, nil) end

    assert_raise ArgumentError, fn ->
      Native.leaf_chunk(:cycle, @max_pool + 1, nil, {0, 1}, 0, 0, 1, nil)
    end

    assert_raise ArgumentError, fn ->
      Native.leaf_chunk(:random, 3, nil, {0, 1}, 0, 0, 4097, nil)
    end

    assert_raise ArgumentError, fn ->
      Native.leaf_chunk(:weighted, 3, table, {0, 1}, 0, 0, 10, nil)
    end

    # A stale table (or a cursor in its place) is reported, not an error.
    assert Native.leaf_chunk(:weighted, 4, make_ref(), {0, 1}, 0, 0, 10, nil) ==
             {:error, :stale_table}

    assert Native.leaf_chunk(:weighted, 4, cursor(), {0, 1}, 0, 0, 10, nil) ==
             {:error, :stale_table}

    # Edges that are valid.
    assert Native.leaf_chunk(:random, 3, nil, {0, 1}, 0, 0, 0, nil) == []

    assert length(Native.leaf_chunk(:random, @max_pool, nil, {2, 9}, 0, @max_u64, 4096, nil)) ==
             4096

    assert Native.leaf_chunk(:cycle, 3, nil, {0, 0}, 0, @max_u64, 4, nil) == [0, 1, 2, 0]
  end

  defp plan_args(i) do
    spec =
      case rem(i, 5) do
        0 -> junk()
        1 -> leaf_spec(0, rem(i, 2) == 0)
        _ -> mix_spec(3, rem(i, 3) == 0)
      end

    pool_len =
      cond do
        chance(0.1) -> pick([-1, 1 <<< 64, 1.0, :infinity, nil])
        chance(0.2) -> Enum.random(0..10)
        true -> Enum.random(0..2000)
      end

    {spec, pool_len}
  end

  test "plan_new/2 and plan_chunk/3 with junk" do
    outcomes =
      for i <- 1..@rounds do
        {spec, pool_len} = plan_args(i)
        result = call(fn -> Native.plan_new(spec, pool_len) end)
        dirty = call(fn -> Native.plan_new_dirty(spec, pool_len) end)

        # The dirty variant answers alike (a cursor of its own).
        case {result, dirty} do
          {{:ok, {:ok, _}}, d} -> assert {:ok, {:ok, _}} = d
          {{:raised, _}, d} -> assert {:raised, %ArgumentError{}} = d
          {r, d} -> assert r == d
        end

        cond do
          not u64?(pool_len) ->
            assert {:raised, %ArgumentError{}} = result
            :raised

          match?({:ok, end_offset} when end_offset <= pool_len, model(spec, 0, 0)) ->
            assert match?({:ok, {:ok, _}}, result),
                   "#{inspect({spec, pool_len})} -> #{inspect(result)}"

            {:ok, {:ok, cursor}} = result
            assert is_reference(cursor)
            drain(cursor, pool_len)
            if elem(spec, 0) == :mix, do: :ok_mix, else: :ok_leaf

          true ->
            assert match?({:ok, {:error, _}}, result),
                   "#{inspect({spec, pool_len})} -> #{inspect(result)}"

            {:ok, {:error, reason}} = result
            assert is_binary(reason) or reason == :stale_table
            :error
        end
      end

    freq = Enum.frequencies(outcomes)
    assert freq[:ok_leaf] > 100
    assert freq[:ok_mix] > 100
    assert freq[:error] > 500
  end

  test "run/3 with junk specs, pools and requests answers {:ok, _} or {:error, _}" do
    outcomes =
      for i <- 1..@rounds do
        {spec, pool_len} = plan_args(i)
        valid_spec? = match?({:ok, _}, model(spec, 0, 0))

        pools =
          if chance(0.8) and is_integer(pool_len),
            do: [pool_tuple(min(pool_len, 5000))],
            else: junk(1)

        request =
          pick([
            ops(Enum.random(0..300), chance(0.5)),
            ops(Enum.random(0..300), chance(0.5), false),
            {:skip, Enum.random(0..100_000)},
            :capacity,
            ops(5000, false),
            {:ops, 5, :plain, :untagged, :no},
            {:ops, 5, false, false, true},
            {:ops, %{k: 5, record: false}},
            {:ops, 5, :plain},
            {:skip, -1},
            junk(1)
          ])

        result = call(fn -> Native.run(spec, pools, request) end)

        assert match?({:ok, {:ok, _}}, result) or match?({:ok, {:error, _}}, result),
               inspect(result)

        case result do
          {:ok, {:ok, {ops, ncs, state, []}}} when is_list(ops) ->
            assert valid_spec?
            # Asked without the state: nil, and the ops the state-ful ask gives.
            with {:ops, k, record, tags, :stateless} <- request do
              assert state == nil

              assert {:ok, {^ops, ^ncs, _, []}} =
                       Native.run(spec, pools, {:ops, k, record, tags, :state})
            end

            :ops

          {:ok, {:ok, _}} ->
            assert valid_spec?
            :ok

          {:ok, {:error, reason}} ->
            assert is_binary(reason) or reason == :stale_table
            :error
        end
      end

    freq = Enum.frequencies(outcomes)
    assert freq[:ops] > 20
    assert freq[:ok] > 50
    assert freq[:error] > 100
  end

  # Pulls a few chunks with valid and junk arguments; checks their shape.
  defp drain(cursor, pool_len) do
    Enum.reduce(1..4, false, fn _, ended ->
      k = if chance(0.8), do: Enum.random(0..300), else: pick([4097, -1, :all, 1.5])

      pool =
        case :rand.uniform(4) do
          1 -> nil
          2 -> pool_tuple(pool_len)
          3 -> pool_tuple(pool_len + 1)
          4 -> pick([pool_tuple(max(pool_len - 1, 0)), junk(1), {}])
        end

      valid? =
        is_integer(k) and k >= 0 and k <= @max_chunk and
          (pool == nil or (is_tuple(pool) and tuple_size(pool) >= pool_len))

      case call(fn -> Native.plan_chunk(cursor, k, pool) end) do
        {:ok, ops} ->
          assert valid?, "plan_chunk(#{inspect(k)}, #{inspect(pool)}) returned #{inspect(ops)}"
          assert is_list(ops) and length(ops) <= k
          # Once a chunk comes back short, the plan is exhausted.
          if ended, do: assert(ops == [])

          if pool == nil do
            assert Enum.all?(ops, &(is_integer(&1) and &1 >= 0 and &1 < pool_len))
          else
            candidates = pool |> Tuple.to_list() |> Enum.take(pool_len)
            assert Enum.all?(ops, &(&1 in candidates))
          end

          ended or length(ops) < k

        {:raised, _} ->
          refute valid?, "plan_chunk(#{inspect(k)}, #{inspect(pool)}) raised"
          ended
      end
    end)
  end

  test "plan_chunk/3 with junk cursors" do
    for _ <- 1..@rounds do
      cursor = junk()
      k = Enum.random(0..10)
      result = call(fn -> Native.plan_chunk(cursor, k, nil) end)

      if live_cursor?(cursor) do
        # A live cursor of a cycle of 3: k ops, from wherever it stands.
        assert {:ok, ops} = result
        assert length(ops) == k and Enum.all?(ops, &(&1 in 0..2))
      else
        assert match?({:raised, %ArgumentError{}}, result), inspect(cursor)
      end
    end

    {table, _} = hd(tables())
    assert_raise ArgumentError, fn -> Native.plan_chunk(table, 5, nil) end
  end

  test "plan_chunk_leaves/3 with junk pools: ops from the leaves' tuples or an ArgumentError" do
    leaf = fn n -> {:leaf, :cycle, n, {0, 0}, 0, 0, :infinity} end

    spec =
      {:mix, :all, 0, :infinity,
       [leaf.(2), {:mix, :any, 0, 7, [leaf.(1)], :round_robin}, leaf.(3)], :round_robin}

    good = {{:a, :b}, {:c}, {:d, :e, :f}}

    for _ <- 1..@rounds do
      {:ok, cursor} = Native.plan_new(spec, 6)
      k = if chance(0.8), do: Enum.random(0..300), else: pick([4097, -1, :all])

      pools =
        pick([
          good,
          {{:a, :b}, {:c}, {:d, :e}},
          {{:a, :b}, {:c, :x}, {:d, :e, :f}},
          {{:a, :b}, {:c}},
          {{:a, :b}, [:c], {:d, :e, :f}},
          {{:a, :b, :x}, {:c}, {:d, :e, :f}},
          Tuple.to_list(good),
          junk(2)
        ])

      valid? = is_integer(k) and k >= 0 and k <= @max_chunk and pools == good

      # The dirty variant answers alike (on a fresh cursor at the same place).
      {:ok, twin} = Native.plan_new(spec, 6)
      dirty = call(fn -> Native.plan_chunk_leaves_dirty(twin, k, pools) end)

      case call(fn -> Native.plan_chunk_leaves(cursor, k, pools) end) do
        {:ok, ops} ->
          assert is_list(ops) and length(ops) <= k
          # Wrong-sized leaf tuples never read out of bounds: only the leaves
          # picked from are checked, so a chunk may still succeed.
          assert valid? or (is_integer(k) and k in 0..@max_chunk and is_tuple(pools))
          if valid?, do: assert(Enum.all?(ops, &(&1 in [:a, :b, :c, :d, :e, :f])))
          assert dirty == {:ok, ops}

        {:raised, %ArgumentError{}} ->
          refute valid?
          assert {:raised, %ArgumentError{}} = dirty
      end
    end

    {:ok, cursor} = Native.plan_new(spec, 6)
    assert Native.plan_chunk_leaves(cursor, 8, good) == [:a, :c, :d, :b, :c, :e, :a, :c]
    assert_raise ArgumentError, fn -> Native.plan_chunk_leaves(cursor, 3, {{:a}, {:c}, {}}) end
  end

  test "grouped pools read whole (small beside the call) or leaf by leaf: the same ops" do
    # 100 round-robin cycles of 3 ops: 300 pool elements, read whole by a
    # 600-op chunk, leaf by leaf by 1-op refills.
    spec =
      {:mix, :any, 0, :infinity, List.duplicate({:leaf, :cycle, 3, {0, 0}, 0, 0, :infinity}, 100),
       :round_robin}

    pools = for i <- 0..99, do: {{:r, i}, {:w, i}, {:c, i}}
    grouped = Lockstep.Generator.Boundary.pool_groups(pools)
    # Op j is leaf rem(j, 100)'s op div(j, 100).
    expected = for j <- 0..599, do: elem(Enum.at(pools, rem(j, 100)), rem(div(j, 100), 3))

    {:ok, whole} = Native.plan_new(spec, 300)
    assert Native.plan_chunk_leaves(whole, 600, grouped) == expected
    {:ok, by_leaf} = Native.plan_new(spec, 300)

    assert Enum.flat_map(0..599, fn at ->
             {:ok, {[op], [], []}} =
               Native.plan_refill(by_leaf, at, 1, {:plain, :untagged}, grouped)

             [op]
           end) == expected

    # A wrong-sized leaf tuple that no op asked picks from (ops 0..98 are
    # leaves 0..98's): refused when the pools are read whole, not read at
    # all leaf by leaf.
    bad = Lockstep.Generator.Boundary.pool_groups(List.replace_at(pools, 99, {:r}))
    {:ok, cursor} = Native.plan_new(spec, 300)
    assert_raise ArgumentError, fn -> Native.plan_chunk_leaves(cursor, 99, bad) end
    assert {:ok, {[{:r, 0}], [], []}} = Native.plan_refill(cursor, 0, 1, {:plain, :untagged}, bad)
    # Read leaf by leaf, it is refused when an op picks from it (op 99).
    for at <- 1..98,
        do: {:ok, {[_], [], []}} = Native.plan_refill(cursor, at, 1, {:plain, :untagged}, bad)

    assert_raise ArgumentError, fn ->
      Native.plan_refill(cursor, 99, 1, {:plain, :untagged}, bad)
    end
  end

  test "plan_refill/5 with junk: ops and next_childs, :stale, or an ArgumentError" do
    leaf = fn n -> {:leaf, :cycle, n, {0, 0}, 0, 0, :infinity} end
    spec = {:mix, :any, 0, :infinity, [leaf.(2), leaf.(1), leaf.(3)], :round_robin}
    good = {{:a, :b}, {:c}, {:d, :e, :f}}
    # Round-robin over the three cycles: op j is child rem(j, 3)'s op div(j, 3).
    stream =
      Stream.map(
        0..@max_chunk,
        &elem(elem(good, rem(&1, 3)), rem(div(&1, 3), tuple_size(elem(good, rem(&1, 3)))))
      )

    for _ <- 1..@rounds do
      {:ok, cursor} = Native.plan_new(spec, 6)
      {:ok, twin} = Native.plan_new(spec, 6)
      k = if chance(0.8), do: Enum.random(0..300), else: pick([4097, -1, :all])
      at = if chance(0.8), do: 0, else: pick([1, @max_u64, -1, :x])
      record = if chance(0.9), do: pick([:record, :plain]), else: pick([nil, true, :yes])
      tagged = if chance(0.9), do: pick([:tags, :untagged]), else: pick([nil, true, :yes])
      ask = if chance(0.95), do: {record, tagged}, else: pick([record, {record}, junk(1)])
      pools = pick([good, good, {{:a, :b}, {:c}}, Tuple.to_list(good), junk(2)])
      cur = if chance(0.9), do: cursor, else: pick([make_ref(), :cursor, junk(1)])
      twin = if cur == cursor, do: twin, else: cur

      valid? =
        is_integer(k) and k in 0..@max_chunk and is_integer(at) and at in 0..@max_u64 and
          ask == {record, tagged} and record in [:record, :plain] and
          tagged in [:tags, :untagged] and
          is_tuple(pools)

      dirty = call(fn -> Native.plan_refill_dirty(twin, at, k, ask, pools) end)

      case call(fn -> Native.plan_refill(cur, at, k, ask, pools) end) do
        {:ok, {:error, :stale}} ->
          assert cur != cursor or at != 0
          assert dirty == {:ok, {:error, :stale}}

        {:ok, {:ok, answer}} ->
          assert valid? and cur == cursor and at == 0 and pools == good
          # Tags: the child that served each op (round robin from child 0).
          # Tags only when asked.
          {ops, ncs, tags} = answer

          if tagged == :tags,
            do: assert(tags == Enum.map(0..(k - 1)//1, &rem(&1, 3))),
            else: assert(tags == [])

          assert ops == Enum.take(stream, k)

          # With :record, the next_child after each op (round robin), apart
          # from the ops.
          if record == :record,
            do: assert(ncs == Enum.map(1..k//1, &rem(&1, 3))),
            else: assert(ncs == [])

          assert dirty == {:ok, {:ok, answer}}
          # The cursor moved on: the same `at` is stale now, the new one is not.
          if k > 0,
            do:
              assert(
                Native.plan_refill(cursor, 0, 1, {:plain, :untagged}, good) == {:error, :stale}
              )

          assert {:ok, {[_], [], []}} =
                   Native.plan_refill(cursor, k, 1, {:plain, :untagged}, good)

        {:raised, %ArgumentError{}} ->
          refute valid? and cur == cursor and at == 0 and pools == good
          assert {:raised, %ArgumentError{}} = dirty
      end
    end
  end

  test "plan_seek/2 with junk: a cursor at the position asked, :stale, or an ArgumentError" do
    leaf = fn n, r -> {:leaf, :cycle, n, {0, 0}, 0, 0, r} end
    # Round-robin over three cycles (the last one finite: 40 ops in all,
    # the mix done at op 38).
    spec =
      {:mix, :any, 0, :infinity, [leaf.(2, :infinity), leaf.(1, :infinity), leaf.(3, 12)],
       :round_robin}

    good = {{:a, :b}, {:c}, {:d, :e, :f}}

    stream =
      for j <- 0..37,
          do: elem(elem(good, rem(j, 3)), rem(div(j, 3), tuple_size(elem(good, rem(j, 3)))))

    for _ <- 1..@rounds do
      {:ok, cursor} = Native.plan_new(spec, 6)
      made = Enum.random(0..10)
      {:ok, _} = Native.plan_refill(cursor, 0, made, {:plain, :untagged}, good)
      at = if chance(0.9), do: Enum.random(0..45), else: pick([@max_u64, -1, :x, 1.5])
      cur = if chance(0.9), do: cursor, else: pick([make_ref(), :cursor, junk(1)])
      dirty = call(fn -> Native.plan_seek_dirty(cur, at) end)

      case call(fn -> Native.plan_seek(cur, at) end) do
        {:ok, {:ok, sought}} when cur != cursor ->
          # Junk holding a live cursor (of another plan).
          assert live_cursor?(cur) and is_reference(sought)

        {:ok, {:ok, sought}} ->
          assert at in 0..38
          # The cursor itself when at or behind it (the dirty twin call,
          # made first, moved it on already), else one of its own.
          if at >= made, do: assert(sought == cursor), else: refute(sought == cursor)
          k = Enum.random(1..50)
          {:ok, {ops, [], []}} = Native.plan_refill(sought, at, k, {:plain, :untagged}, good)
          assert ops == stream |> Enum.drop(at) |> Enum.take(k)
          assert {:ok, {:ok, _}} = dirty
          # Another holder at the same position (a clone of the cursor last
          # sought there, which has moved on since): its own, the same ops.
          if at < made do
            assert {:ok, again} = Native.plan_seek(cursor, at)
            refute again == sought

            assert {:ok, {^ops, [], []}} =
                     Native.plan_refill(again, at, k, {:plain, :untagged}, good)
          end

        {:ok, {:more, _sought}} ->
          # Past the plan's end: the rest skipped, then stale.
          assert (cur == cursor or live_cursor?(cur)) and is_integer(at)
          if cur == cursor, do: assert(at > 38)

        {:ok, {:error, :stale}} ->
          assert cur != cursor or (is_integer(at) and at > 38)

        {:raised, %ArgumentError{}} ->
          refute cur == cursor and is_integer(at) and at in 0..@max_u64
          assert {:raised, %ArgumentError{}} = dirty
      end
    end
  end

  test "run_dirty/3 answers like run/3" do
    for i <- 1..div(@rounds, 3) do
      {spec, pool_len} = plan_args(i)

      pools =
        if chance(0.8) and is_integer(pool_len),
          do: [pool_tuple(min(pool_len, 5000))],
          else: junk(1)

      request =
        pick([
          ops(Enum.random(0..300), chance(0.5)),
          {:picks, Enum.random(0..300), pick([:record, :plain])},
          {:skip, 77},
          :capacity,
          junk(1)
        ])

      result = call(fn -> Native.run_dirty(spec, pools, request) end)
      assert result == call(fn -> Native.run(spec, pools, request) end)
    end
  end

  test "plan_new/2 and plan_chunk/3 targeted cases" do
    leaf = {:leaf, :cycle, 2, {0, 0}, 0, 0, :infinity}

    nest = fn levels ->
      Enum.reduce(1..levels, leaf, fn _, inner ->
        {:mix, :any, 0, :infinity, [inner], :round_robin}
      end)
    end

    assert {:error, reason} = Native.plan_new(nest.(100), 2)
    assert reason =~ "deeper"
    assert {:error, _} = Native.plan_new(nest.(65), 2)
    assert {:ok, cursor} = Native.plan_new(nest.(64), 2)
    assert Native.plan_chunk(cursor, 5, {:a, :b}) == [:a, :b, :a, :b, :a]

    # 100_000 levels: refused without walking the whole term.
    assert {:error, _} = Native.plan_new(nest.(100_000), 2)

    assert {:error, "a mix needs at least one child"} =
             Native.plan_new({:mix, :any, 0, :infinity, [], :round_robin}, 0)

    assert {:error, "malformed plan: next_child"} =
             Native.plan_new({:mix, :any, 1, :infinity, [leaf], :round_robin}, 2)

    # One shape per tag: a mix names its strategy.
    assert {:error, "malformed plan: node"} =
             Native.plan_new({:mix, :any, 0, :infinity, [leaf]}, 2)

    assert {:error, "ops up to index 2 requested from a pool of 1"} = Native.plan_new(leaf, 1)
    # A weighted leaf whose table is not a live resource of this VM.
    assert {:error, :stale_table} = Native.plan_new(put_elem(leaf, 1, make_ref()), 2)
    assert {:error, "malformed plan: kind"} = Native.plan_new(put_elem(leaf, 1, :weighted), 2)

    {:ok, cursor} =
      Native.plan_new({:mix, :all, 0, 3, [leaf, put_elem(leaf, 2, 1)], :round_robin}, 3)

    assert_raise ArgumentError, fn -> Native.plan_chunk(cursor, 4097, nil) end
    assert_raise ArgumentError, fn -> Native.plan_chunk(cursor, 2, {:a, :b}) end
    assert Native.plan_chunk(cursor, 2, {:a, :b, :c}) == [:a, :c]
    assert Native.plan_chunk(cursor, 2, nil) == [1]
    assert Native.plan_chunk(cursor, 2, nil) == []
  end

  test "an improper list of weights is a badarg, not a Rust panic" do
    # Rustler's list iterator panics on an improper tail; the NIF checks
    # properness first.
    assert_raise ArgumentError, fn -> Native.table_new([1 | 2]) end
    assert_raise ArgumentError, fn -> Native.table_new_dirty([1, 2 | 3]) end
  end

  test "a plan whose children are an improper list is an error, not a Rust panic" do
    leaf = {:leaf, :cycle, 2, {0, 0}, 0, 0, :infinity}

    assert {:error, _} =
             Native.plan_new({:mix, :any, 0, :infinity, [leaf | :junk], :round_robin}, 2)
  end

  test "a combinator's spec: junk names, parameters and children are errors" do
    leaf = {:leaf, :cycle, 2, {0, 0}, 0, 0, :infinity}
    chunk = fn name, params, children -> {:combinator, name, params, :infinity, children} end

    assert {:ok, cursor} = Native.plan_new(chunk.(:chunk, [3], [leaf]), 2)
    assert Native.plan_chunk(cursor, 2, {:a, :b}) == [[:a, :b, :a], [:b, :a, :b]]

    for {spec, reason} <- [
          {chunk.(:nope, [3], [leaf]), "unknown combinator"},
          {chunk.("chunk", [3], [leaf]), "malformed plan: combinator name"},
          {chunk.(:chunk, [0], [leaf]), "chunk: n must be in 1..4096"},
          {chunk.(:chunk, [4097], [leaf]), "chunk: n must be in 1..4096"},
          {chunk.(:chunk, [], [leaf]), "chunk: one child and n"},
          {chunk.(:chunk, [3], [leaf, leaf]), "chunk: one child and n"},
          {chunk.(:chunk, [3], []), "a mix needs at least one child"},
          {chunk.(:chunk, List.duplicate(1, 17), [leaf]), "malformed plan: combinator params"},
          {chunk.(:chunk, [-1], [leaf]), "malformed plan: combinator params"},
          {chunk.(:chunk, [1 | 2], [leaf]), "malformed plan: combinator params"},
          {chunk.(:chunk, :x, [leaf]), "malformed plan: combinator params"},
          {chunk.(:chunk, [3], [leaf | :junk]), "malformed plan: children"},
          {{:combinator, :chunk, [3], :lots, [leaf]}, "malformed plan: remaining"}
        ] do
      assert {:error, message} = Native.plan_new(spec, 2), inspect(spec)
      assert message =~ reason, inspect(spec)
    end
  end

  test "a workload's weights: exactly one per kind, or :swarm; anything else is an error" do
    register = fn weights ->
      params = %Lockstep.Generator.Params.Register{first: 1, last: 3, weights: weights}
      {:value, params, {0, 7}, 0, 0, :infinity}
    end

    for weights <- [[2, 0, 1], :swarm] do
      assert {:ok, {[_, _, _], [], 3, []}} =
               Native.run(
                 register.(weights),
                 [{:read, :write, :cas}],
                 {:ops, 3, :plain, :untagged, :state}
               ),
             inspect(weights)
    end

    for weights <- [[1, 1], [1, 1, 1, 1], [1, 1 | 1], [1, -1, 1], [], :other, {1, 1, 1}] do
      assert {:error, message} =
               Native.run(
                 register.(weights),
                 [{:read, :write, :cas}],
                 {:ops, 3, :plain, :untagged, :state}
               ),
             inspect(weights)

      assert message =~ "malformed plan: value kind", inspect(weights)
    end
  end

  test "fork_stream/2 with junk, when present" do
    if function_exported?(Native, :fork_stream, 2) do
      for _ <- 1..@rounds do
        parent = maybe(u64(), true)
        key = maybe({pick([0, 1, 2]), u64()}, true)
        result = call(fn -> apply(Native, :fork_stream, [parent, key]) end)

        if u64?(parent) and match?({d, v} when is_integer(d) and is_integer(v), key) and
             u64?(elem(key, 0)) and u64?(elem(key, 1)) do
          assert {:ok, id} = result
          assert u64?(id)
          assert apply(Native, :fork_stream, [parent, key]) == id
        else
          assert {:raised, _} = result
        end
      end
    end
  end

  test "the VM and the NIF still work after the junk" do
    # A burst of junk from many processes at once, then real work.
    1..20
    |> Task.async_stream(fn i ->
      :rand.seed(:exsss, {i, i, i})

      for _ <- 1..200 do
        args = leaf_args()
        call(fn -> apply(Native, :leaf_chunk, args) end)
        {spec, pool_len} = plan_args(:rand.uniform(100))
        call(fn -> Native.plan_new(spec, pool_len) end)
        call(fn -> Native.table_live(junk()) end)
      end

      :done
    end)
    |> Enum.each(fn result -> assert result == {:ok, :done} end)

    assert G.cycle([:a, :b]) |> G.take(3) |> reduce_list() == [:a, :b, :a]
    gen = G.weighted([a: 1, b: 2], seed: 3)
    assert gen |> G.take(200) |> reduce_list() == walk(gen, 200)
    assert Native.leaf_chunk(:cycle, 3, nil, {0, 0}, 0, 1, 4, nil) == [1, 2, 0, 1]
    assert Process.alive?(self())
  end
end
