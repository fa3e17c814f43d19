defmodule Lockstep.Generator.Boundary do
  @moduledoc false
  # Every call into the Rust engine (Lockstep.Generator.Native) goes through
  # here: the tree described (Lockstep.Generator.Spec), the scheduler chosen
  # (Lockstep.Generator.Scheduler), a stale alias table rebuilt and the call
  # made again (a value from another VM), an engine error raised as an
  # ArgumentError. Nothing here keeps state: the caller
  # (Lockstep.Generator.Driver) writes what a call reports back into the
  # generator.
  #
  # Pools. A call that gives ops reads the pools it picks from, O(their
  # size) per call. When that is too much for a normal scheduler, a tree of
  # pool picks only gets its ops as flat pool indices (the engine never
  # reads the pools), mapped to terms here; any other tree runs on a dirty
  # scheduler.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Scheduler, Spec, Tables, Tree, Unique}

  require Scheduler
  require Tree

  @pick_kinds Tree.pick_kinds()

  @typedoc """
  A `run` request (native/lockstep_nif/src/request.rs): the plan's
  capacity, a skip of up to n ops, or up to k ops (with `:record`, also
  the top mix's next_child after each op; with
  `:tags`, which top child served each; with `:stateless`, no state after
  them). `{:picks, _}` is made here, for trees of pool picks whose pools
  are not to be read.
  """
  @type request ::
          :capacity
          | {:skip, non_neg_integer()}
          | {:ops, k :: non_neg_integer(), next_childs(), :tags | :untagged, :state | :stateless}

  @typedoc "Whether the reply gives the top's next_child after each op."
  @type next_childs :: :record | :plain

  @typedoc """
  A `run` reply inside `{:ok, _}` (native/lockstep_nif/src/reply.rs): `{ops,
  next_childs, state, tags}` for ops (next_childs `[]` unless `:record`;
  state nil when `:stateless`; tags `[]` unless `:tags`), `{skipped,
  state}` for a skip, a count for the capacity.
  """
  @type reply ::
          {[term()], [non_neg_integer()], state() | nil, [non_neg_integer()]}
          | {non_neg_integer(), state()}
          | non_neg_integer()
          | :infinity
          | :unknown

  @typedoc """
  A node's state after an engine call (reply.rs, `State`): a leaf's op
  count (0: unchanged) or a composite's.
  """
  @type state ::
          non_neg_integer()
          | %{
              produced: non_neg_integer(),
              next_child: non_neg_integer() | nil,
              children: [state()]
            }

  @doc false
  # The state in a reply to ops or a skip (nil when asked `:stateless`).
  @spec state(reply()) :: state() | nil
  def state({_ops, _next_childs, state, _tags}), do: state
  def state({_skipped, state}), do: state

  @doc false
  # An ops request for up to k ops (`record?`: the next_childs too;
  # options `tags:` (false), `state:` (true)).
  @spec ops(non_neg_integer(), boolean(), keyword()) :: request()
  def ops(k, record?, opts \\ [])
  def ops(k, record?, []), do: {:ops, k, next_childs(record?), :untagged, :state}
  def ops(k, record?, tags: true), do: {:ops, k, next_childs(record?), :tags, :state}
  def ops(k, record?, tags: false), do: ops(k, record?)
  def ops(k, record?, state: false), do: {:ops, k, next_childs(record?), :untagged, :stateless}

  @doc false
  # The request flag for `record?`.
  @spec next_childs(boolean()) :: next_childs()
  def next_childs(true), do: :record
  def next_childs(false), do: :plain

  @doc false
  # One `run/3` call on `gen`'s tree (see native/lockstep_nif/src/lib.rs,
  # `run`): `{gen, result}`, gen with its tables rebuilt if they were stale.
  # `made`: the tree's `{spec, pools}` when already made (or nil).
  @spec run(G.t(), request(), {tuple(), [tuple()]} | nil) :: {G.t(), reply()}
  def run(gen, request, made \\ nil) do
    {spec, pools} = made || Spec.tree(gen)
    answer = run_nif(gen, spec, pools, request)

    case stale(gen, answer) do
      # (A spec made from stale tables is made again.)
      {:retry, gen} -> run(gen, request)
      :ok -> {gen, ok!(answer)}
    end
  end

  defp ok!({:ok, result}), do: result
  defp ok!({:error, reason}), do: invalid!(reason)

  # The one rule for stale alias tables (a value from another VM): an
  # answer saying one is stale asks for the call again on the generator
  # with its tables rebuilt.
  defp stale(gen, {:error, :stale_table}), do: {:retry, Tables.rebuild(gen)}
  defp stale(_gen, _answer), do: :ok

  defp run_nif(gen, spec, pools, request) do
    case pool_reads(gen, pools, request) do
      :normal -> Native.run(spec, pools, request)
      :dirty -> Native.run_dirty(spec, pools, request)
      {:indices, dirty?} -> run_picks(spec, pools, request, dirty?)
    end
  end

  defp plan_nif(spec, pools) do
    pool_len = Enum.reduce(pools, 0, &(tuple_size(&1) + &2))

    if Scheduler.dirty?(:decode, pools),
      do: Native.plan_new_dirty(spec, pool_len),
      else: Native.plan_new(spec, pool_len)
  end

  # (Small helpers of every engine call, expanded where they are used.)
  @compile {:inline, ok!: 1, stale: 2, run_nif: 4, pool_reads: 3, reads_pools?: 1, untagged?: 1}

  # How a call reads the pools: on a normal scheduler, on a dirty one, or
  # not at all (pool indices; on a dirty scheduler when the tree alone is
  # too big to decode on a normal one).
  defp pool_reads(gen, pools, request) do
    cond do
      not reads_pools?(request) ->
        if Scheduler.dirty?(:decode, pools), do: :dirty, else: :normal

      not Scheduler.dirty?(:read, pools) ->
        :normal

      untagged?(request) and Tree.pick_only?(gen) ->
        {:indices, Scheduler.dirty?(:decode, pools)}

      true ->
        :dirty
    end
  end

  defp reads_pools?({:ops, _k, _next_childs, _tags, _state}), do: true
  defp reads_pools?(_request), do: false

  defp untagged?({:ops, _k, _next_childs, tags, _state}), do: tags == :untagged
  defp untagged?(_request), do: false

  defp run_picks(spec, pools, {:ops, k, next_childs, _tags, with_state}, dirty?) do
    picks = {:picks, k, next_childs}

    result =
      if dirty?,
        do: Native.run_dirty(spec, pools, picks),
        else: Native.run(spec, pools, picks)

    case result do
      {:ok, {picks, ncs, state, tags}} ->
        ops = pick_terms(picks, pick_lookup(pools))
        # A request without the state (the last run of a fold) gets none.
        {:ok, {ops, ncs, if(with_state == :state, do: state), tags}}

      error ->
        error
    end
  end

  @doc false
  # A leaf's pool: its ops as a tuple (a list long enough that
  # `List.to_tuple/1`, which does not yield, would hold a normal scheduler
  # is made one on a dirty scheduler). A macro: construction is on the hot
  # path of a fresh generator per iteration, and a small pool is then one
  # match and one BIF where it is built, no call. Fewer than 8 ops are not
  # counted: `length/1` costs a small leaf's construction ~6%, and the
  # bound is far above 8.
  defmacro pool(ops) do
    quote do
      require Lockstep.Generator.Scheduler

      case unquote(ops) do
        [_, _, _, _, _, _, _, _ | _] = ops
        when not Lockstep.Generator.Scheduler.normal_tuple?(length(ops)) ->
          Lockstep.Generator.Boundary.big_pool(ops)

        ops ->
          :erlang.list_to_tuple(ops)
      end
    end
  end

  @doc false
  # (`pool/1` past a normal scheduler's bound.)
  @spec big_pool([term()]) :: tuple()
  def big_pool(ops) do
    if Scheduler.dirty?(:tuple, length(ops)),
      do: Native.tuple_dirty(ops),
      else: List.to_tuple(ops)
  end

  @doc false
  # A cursor over the plan of `gen` (a tree the engine runs whole), decoded
  # once, the leaves' pools (depth-first) and `gen` (its tables rebuilt if
  # they were stale).
  @spec plan(G.t(), {tuple(), [tuple()]} | nil) :: {reference(), [tuple()], G.t()}
  def plan(gen, made \\ nil) do
    {spec, pools} = made || Spec.tree(gen)
    answer = plan_nif(spec, pools)

    case stale(gen, answer) do
      {:retry, gen} -> plan(gen)
      :ok -> {ok!(answer), pools, gen}
    end
  end

  @doc false
  # How ops are read from a cursor over `gen` with these pools (a list;
  # the calls take them as `pool_groups/1`): `:normal`,
  # `:dirty`, or `{:indices, lookup}` (pick-only trees with large pools).
  @spec cursor_reads(G.t(), [tuple()]) :: :normal | :dirty | {:indices, tuple()}
  def cursor_reads(gen, pools) do
    cond do
      not Scheduler.dirty?(:read, pools) -> :normal
      Tree.pick_only?(gen) -> {:indices, pick_lookup(pools)}
      true -> :dirty
    end
  end

  @doc false
  # The next (up to) k ops of a cursor, for a fold (see `cursor_reads/2`;
  # `pools` the leaves' pools as `pool_groups/1`): `[]` once it is
  # exhausted.
  @spec cursor_chunk(reference(), pos_integer(), tuple(), term()) :: [term()]
  def cursor_chunk(cursor, k, pools, :normal), do: Native.plan_chunk_leaves(cursor, k, pools)
  def cursor_chunk(cursor, k, pools, :dirty), do: Native.plan_chunk_leaves_dirty(cursor, k, pools)

  def cursor_chunk(cursor, k, _pools, {:indices, lookup}),
    do: pick_terms(Native.plan_chunk(cursor, k, nil), lookup)

  @doc false
  # A cursor's next (up to) k ops for next/1's buffer (`ask`: `{:record |
  # :plain, :tags | :untagged}`; `dirty?`: pools too large for a normal
  # scheduler): `{:ok, {ops, next_childs, tags}}` (next_childs, tags `[]`
  # unless asked) or `{:error, :stale}`.
  @spec cursor_refill(
          reference(),
          non_neg_integer(),
          non_neg_integer(),
          {next_childs(), :tags | :untagged},
          tuple(),
          boolean()
        ) :: {:ok, {[term()], [non_neg_integer()], [non_neg_integer()]}} | {:error, :stale}
  def cursor_refill(cursor, at, k, ask, pools, dirty?) do
    if dirty?,
      do: Native.plan_refill_dirty(cursor, at, k, ask, pools),
      else: Native.plan_refill(cursor, at, k, ask, pools)
  end

  @doc false
  # A cursor over the same plan as `cursor`, standing after `at` ops (the
  # engine's skip from the plan as it was made; no tree described or
  # decoded), on the scheduler of its refills: `{:ok, cursor}`, or
  # `{:error, :stale}` when `cursor` is not of this VM.
  @spec cursor_seek(reference(), non_neg_integer(), boolean()) ::
          {:ok, reference()} | {:error, :stale}
  def cursor_seek(cursor, at, dirty?) do
    seek = if dirty?, do: Native.plan_seek_dirty(cursor, at), else: Native.plan_seek(cursor, at)

    case seek do
      {:more, cursor} -> cursor_seek(cursor, at, dirty?)
      answer -> answer
    end
  end

  @doc false
  # True when a cursor's refills over `gen` read its pools on a dirty
  # scheduler. A refill of a tree of pool picks reads one leaf's pool per
  # op (and the groups above it, see `pool_groups/1`), whatever the number
  # of leaves; any other tree may read them all.
  @spec dirty_refills?(G.t(), [tuple()]) :: boolean()
  def dirty_refills?(gen, pools) do
    if Tree.pick_only?(gen),
      do: Scheduler.dirty?(:refill, pools),
      else: Scheduler.dirty?(:read, pools)
  end

  # Elements per tuple of the grouped pools (native/lockstep_nif/src/
  # pool_groups.rs: FANOUT).
  @fanout 32

  @doc false
  # The leaves' pools (depth-first) as a cursor's calls take them: not one
  # tuple of them all (reading a tuple copies all its term handles, so a
  # call over 100,000 leaves would copy 100,000 to pick a few) but grouped
  # @fanout at a time, the groups grouped again, until at most @fanout
  # remain: a call reads one tuple per level for each leaf it picks from.
  # Up to @fanout leaves it is the tuple of their tuples.
  @spec pool_groups([tuple()]) :: tuple()
  def pool_groups(pools), do: group_level(pools, length(pools))

  defp group_level(items, n) when n <= @fanout, do: List.to_tuple(items)

  defp group_level(items, n),
    do: group_level(groups(items), div(n + @fanout - 1, @fanout))

  # A whole group's @fanout items matched at once and made its tuple: the
  # groups and their list are all this allocates (on 100k leaves, building
  # each group as a list first, then its tuple, made ~4 MB of garbage, and
  # the collections of a caller holding the tree cost the first next/1
  # tens of ms; Enum.chunk_every/2 was slower still).
  @group Macro.generate_arguments(@fanout, __MODULE__)
  defp groups([unquote_splicing(@group) | rest]), do: [{unquote_splicing(@group)} | groups(rest)]
  defp groups([]), do: []
  defp groups(last), do: [List.to_tuple(last)]

  @doc false
  # The k ops of a seeded leaf from op `pos` (k at most the engine's
  # MAX_CHUNK), how many there are (fewer than k only for value kinds past a
  # call's token budget), and the leaf (its table rebuilt if it was stale).
  @spec leaf_ops(G.t(), non_neg_integer(), non_neg_integer()) ::
          {[term()], non_neg_integer(), G.t()}
  def leaf_ops(%G{kind: kind} = gen, pos, k) when kind in @pick_kinds do
    case leaf_chunk(gen, pos, k) do
      {{indices, pool}, gen} -> {for(i <- indices, do: elem(pool, i)), k, gen}
      {ops, gen} -> {ops, k, gen}
    end
  end

  # A counter past the engine's integer range is counted in Elixir (Unique).
  def leaf_ops(%G{kind: :counter} = gen, pos, k) do
    if Unique.engine?(gen) do
      value_ops(gen, pos, k)
    else
      {Unique.ops(gen, pos, k), k, gen}
    end
  end

  # An independent workload: its template (any native tree) in one call.
  # (A stale table in its template is rebuilt and the call made again.)
  def leaf_ops(%G{kind: :independent} = gen, pos, k) do
    {spec, pools} = Spec.independent(gen, pos, k)
    answer = run_nif(gen, spec, pools, ops(k, false))

    case stale(gen, answer) do
      {:retry, gen} -> leaf_ops(gen, pos, k)
      :ok -> independent_ops(answer, gen)
    end
  end

  def leaf_ops(gen, pos, k), do: value_ops(gen, pos, k)

  defp independent_ops({:ok, {ops, _next_childs, n, _tags}}, gen), do: {ops, n, gen}
  defp independent_ops({:error, reason}, _gen), do: invalid!(reason)

  @doc false
  # The k ops of a pick leaf from op `pos`: a list of ops, or `{indices,
  # pool}` when the pool is large (the NIF does not read it), and the leaf.
  @spec leaf_chunk(G.t(), non_neg_integer(), non_neg_integer()) ::
          {[term()] | {[non_neg_integer()], tuple()}, G.t()}
  def leaf_chunk(%G{kind: kind, engine: %{pool: pool} = e} = gen, pos, k) do
    n = tuple_size(pool)
    wire = Spec.wire(kind, n, pos)

    # (The NIF called here, not through run/3: a fresh generator's first
    # next/1 comes this way, and allocates nothing more than it must.)
    answer =
      Native.leaf_chunk(kind, n, Spec.table(gen), e.key, e.stream, wire, k, direct(pool, k))

    case stale(gen, answer) do
      {:retry, gen} -> leaf_chunk(gen, pos, k)
      :ok when n <= 2 * k -> {answer, gen}
      :ok -> {{answer, pool}, gen}
    end
  end

  defp direct(pool, k) when tuple_size(pool) <= 2 * k, do: pool
  defp direct(_pool, _k), do: nil

  # The k ops of a value leaf (integers, zipf, counter, workloads) from op
  # `pos`, how many (fewer than k past the call's token budget), and the
  # leaf.
  defp value_ops(%G{engine: e} = gen, pos, k) do
    case Native.run(Spec.value_leaf(gen, pos, k), [e.pool], ops(k, false)) do
      # A leaf's state is its op count.
      {:ok, {ops, _next_childs, n, _tags}} -> {ops, n, gen}
      {:error, reason} -> invalid!(reason)
    end
  end

  defp invalid!(reason), do: raise(ArgumentError, "invalid generator: #{reason}")

  # How flat pool indices find their term: each leaf's end and its pool.
  defp pick_lookup(pools) do
    {ends, _} =
      Enum.map_reduce(pools, 0, fn p, acc -> {acc + tuple_size(p), acc + tuple_size(p)} end)

    {List.to_tuple(ends), List.to_tuple(pools)}
  end

  # The ops at flat pool indices `picks`.
  defp pick_terms([i | rest], lookup), do: [term_at(i, lookup) | pick_terms(rest, lookup)]
  defp pick_terms([], _lookup), do: []

  defp term_at(i, {ends, pools}) do
    j = first_above(ends, i, 0, tuple_size(ends) - 1)
    start = if j == 0, do: 0, else: elem(ends, j - 1)
    elem(elem(pools, j), i - start)
  end

  # The first leaf j with ends[j] > i (binary search).
  defp first_above(_ends, _i, lo, hi) when lo >= hi, do: lo

  defp first_above(ends, i, lo, hi) do
    mid = div(lo + hi, 2)

    if elem(ends, mid) > i,
      do: first_above(ends, i, lo, mid),
      else: first_above(ends, i, mid + 1, hi)
  end
end
