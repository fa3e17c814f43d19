defmodule Lockstep.Generator.Driver do
  @moduledoc false
  # The one module that pulls ops: next/1's refills, folds (each/2,
  # reduce/3, Enumerable's chunks), skips (drop/2), and writing what the
  # engine reports back into the generator. It returns `{ops, gen}` (or
  # `{op, gen}`), gen being the state after them. Below it, and never
  # calling it or Lockstep.Generator: Lockstep.Generator.Boundary (every
  # engine call), Spec (a tree described), Tree (what runs a tree), Lift,
  # Supply, Filter, Select (the rules of maps, supplied children, filters
  # and selections), Unique, Node (one node's fields). docs/DESIGN.md draws
  # the layers.
  #
  # The Rust engine (native/lockstep_engine) is the one implementation of
  # what a mix, concat or zip does next, when it is done and how it skips n
  # ops; this module only asks it for ops, skips or a capacity and writes
  # the state it reports back into the struct (`apply_state/2`).
  #
  # A composite's buffer. `next/1` pops `buf`, refilled by one engine call.
  # While ops are buffered, `children` hold their state as of the last refill
  # (before the buffered ops); `engine.frontier` holds what the refill did to
  # them (a Lockstep.Generator.Frontier.Reported), applied when the buffer
  # runs out (or a Frontier.Final after a refill of all the ops a take has
  # left, which asks for no state: `settle/1` brings the children up to date
  # if anyone asks); `remaining` and `next_child` are
  # exact after every `next/1` (a round-robin mix or a concat keeps the
  # `next_child` after each buffered op in `pos`, popped with it; the
  # engine gives them apart from the ops). `engine.refilled`
  # is the number of ops of the last refill, `engine.base_next_child` the `next_child`
  # before it, so the exact state behind a partly used buffer is the
  # children's state advanced by the ops already popped (`settle/1`).
  # Trees of @cursor_leaves leaves or more refill from a cursor instead
  # (`engine.frontier` is then a Lockstep.Generator.Cursor):
  # the children stay as they were when the cursor was made and
  # `engine.refilled`
  # counts every op made since, so the same `settle/1` gives the exact
  # state. Supplied children (Lockstep.Generator.Supply) may lag further;
  # `settle/1` writes them back too.

  alias Lockstep.Generator, as: G

  alias Lockstep.Generator.{
    Boundary,
    Buffer,
    Cursor,
    Filter,
    Frontier,
    Lift,
    Node,
    Select,
    Settings.Composite,
    Spec,
    Supply,
    Tree
  }

  import Bitwise
  require Buffer
  require Filter
  require Tree

  @max_u64 (1 <<< 64) - 1
  @pick_kinds Tree.pick_kinds()
  # Trees with at least this many leaves refill next/1 from a cursor.
  @cursor_leaves 32
  # Most ops one engine call gives (native/lockstep_engine: MAX_CHUNK).
  @max_chunk 4096
  # Ops prefetched by next/1: the first refill serves a take(50) in one
  # call; later ones take more, to spread the call's cost, but fewer of
  # large ops (list-append transactions), whose buffer the process's garbage
  # collector would copy over and over.
  @first_refill 64
  @refill 1024
  @refill_large 256
  # The most ops a skip of a tree with supplied children asks per call (each
  # supplied child is pulled that far ahead).
  @supply_skip 1024

  # ------------------------------------------------------------ capacity

  @doc false
  # Ops `gen` gives before :done: an integer, :infinity or :unknown.
  @spec capacity(G.t()) :: non_neg_integer() | :infinity | :unknown
  def capacity(%G{children: nil, remaining: remaining}), do: remaining

  def capacity(%G{kind: :map, children: [child], remaining: r}), do: min_count(capacity(child), r)

  def capacity(%G{kind: :select, children: [child]} = gen),
    do: Select.capacity(gen, capacity(child))

  def capacity(gen) do
    if Tree.runs?(gen) and not Tree.supplied?(gen) do
      {_gen, count} = run(settle(gen), :capacity)
      count
    else
      :unknown
    end
  end

  defp min_count(:unknown, _r), do: :unknown
  defp min_count(c, :infinity), do: c
  defp min_count(:infinity, r), do: r
  defp min_count(c, r), do: min(c, r)

  # ------------------------------------------------------------ next/1

  @doc false
  # The next op and the generator after it, or :done (Lockstep.Generator.
  # next/1 pops a buffer itself and comes here for the rest).
  @spec next(G.t()) :: {term(), G.t()} | :done
  Buffer.pop_clauses(:next)
  def next(gen), do: next_refill(gen)

  @doc false
  # next/1 past a buffer popped (Lockstep.Generator.next/1 pops it itself
  # and comes here, so the buffer clauses are not matched twice).
  @spec next_refill(G.t()) :: {term(), G.t()} | :done
  def next_refill(%G{remaining: 0}), do: :done

  def next_refill(%G{children: nil, pos: pos, remaining: remaining} = gen) do
    # A call may give fewer than k ops (very large ops: a token budget).
    {[op | rest], n, gen} = Boundary.leaf_ops(gen, pos, refill_size(gen))
    {op, %{gen | buf: rest, pos: pos + n, remaining: Node.sub(remaining, 1)}}
  end

  def next_refill(%G{kind: :select} = gen), do: Select.next(gen, &drop_next/2)

  # A tree refilling from a cursor is one the engine runs: no need to walk
  # it again.
  def next_refill(%G{engine: %{frontier: %Cursor{}}} = gen), do: cursor_refill(gen)

  # map and filter call the user's functions: op by op here.
  def next_refill(%G{kind: :map, children: [child]} = gen) do
    case next(child) do
      :done -> :done
      {op, child} -> {Lift.map_op(gen, op), served(gen, child)}
    end
  end

  def next_refill(%G{kind: :filter, children: [child], engine: %{pred: pred, max: max}} = gen),
    do: next_filter(child, pred, max, 0, gen)

  # A mix, concat or zip: one engine call refills the buffer.
  def next_refill(gen), do: engine_next(gen)

  defp drop_next(child, n), do: child |> drop(n) |> next()

  defp served(gen, child), do: %{gen | children: [child], remaining: Node.sub(gen.remaining, 1)}

  defp next_filter(child, pred, max, rejected, gen) do
    case next(child) do
      :done ->
        :done

      {op, child} ->
        if pred.(op),
          do: {op, served(gen, child)},
          else: next_filter(child, pred, max, rejected!(rejected, max), gen)
    end
  end

  defp rejected!(rejected, max) do
    case Filter.reject(rejected, max) do
      {:ok, rejected} -> rejected
      :too_many -> Filter.too_many!(max)
    end
  end

  # How many ops next/1 prefetches: for a leaf a pure function of its kind
  # and position (so buffers never depend on history), for a composite of
  # its refill count.
  defp refill_size(%G{children: nil, kind: kind, pos: pos, remaining: r}) do
    k =
      cond do
        pos < @first_refill -> @first_refill
        kind == :list_append -> @refill_large
        true -> @refill
      end

    Node.cap(k, r)
  end

  defp refill_size(%G{engine: %{refills: 0}, remaining: r}), do: Node.cap(@first_refill, r)
  defp refill_size(%G{remaining: r}), do: Node.cap(@refill, r)

  defp engine_next(gen) do
    gen = settle_frontier(gen)

    case Tree.mode(gen) do
      :supplied ->
        refill(gen, :supplied, nil)

      # The tree's spec, made once: its pools tell whether it is wide enough
      # for a cursor, else the refill runs it.
      mode ->
        {_spec, pools} = made = Spec.tree(gen)

        if at_least?(pools, @cursor_leaves),
          do: gen |> start_cursor(mode, made) |> cursor_refill(),
          else: refill(gen, mode, made)
    end
  end

  # One engine call fills the buffer. A native tree's last refill (all its
  # remaining ops, as a fresh `take(20)` has) asks without the state: the
  # children are brought up to date only if someone asks for them
  # (`frontier: %Frontier.Final{}`; `settle/1`).
  defp refill(gen, mode, made) do
    k = refill_size(gen)
    record? = is_integer(gen.next_child)

    with true <- mode == :native and k == gen.remaining,
         {:ok, ops, ncs, gen} <- final_run(gen, k, record?, made) do
      buffered(gen, ops, ncs, %Frontier.Final{}, k)
    else
      _ -> refill_with_state(gen, k, record?, mode, made)
    end
  end

  defp refill_with_state(gen, k, record?, mode, made) do
    case run_ops(gen, k, record?, mode, made) do
      {_gen, {[], _ncs, _state, _tags}} ->
        :done

      {gen, {ops, ncs, %{produced: n} = state, _tags}} ->
        buffered(gen, ops, ncs, %Frontier.Reported{state: state}, n)
    end
  end

  # The next op of a refill's `n` ops (`ncs`: the next_child after each),
  # the rest buffered; `frontier`: what the refill did to the children.
  defp buffered(gen, ops, ncs, frontier, n) do
    e = gen.engine

    engine = %{
      e
      | frontier: frontier,
        base_next_child: gen.next_child,
        refilled: n,
        refills: e.refills + 1
    }

    next(%{gen | buf: ops, pos: ncs, engine: engine})
  end

  # A tree of many leaves keeps its decoded plan between refills: a cursor
  # (a NIF resource) made from the children as they are, which `next/1`
  # refills from without describing, decoding or writing back the whole tree
  # each time. The cursor is only a cache: `children` stay as they were when
  # it was made, `engine.refilled` counts the ops it has produced since, so
  # the exact state is still the children advanced by those less the ops
  # buffered
  # (`settle/1`). A cursor that has moved on (another holder of the same
  # value refilled from it) is replaced by one over the same decoded plan,
  # moved to `at` by the engine's skip; one not of this VM is made again
  # from them.
  defp start_cursor(gen, mode, made) do
    {cursor, pools, gen} = Boundary.plan(gen, made)
    e = gen.engine

    frontier = %Cursor{
      ref: cursor,
      pools: Boundary.pool_groups(pools),
      dirty: Boundary.dirty_refills?(gen, pools),
      lift: Lift.of(gen, mode)
    }

    engine = %{e | frontier: frontier, base_next_child: gen.next_child, refilled: 0}
    %{gen | engine: engine}
  end

  # (`sought`: :made when the cursor was just sought, and is stale again
  # only if another process raced for it: then it is made again.)
  defp cursor_refill(
         %G{engine: %{frontier: %Cursor{ref: cursor, at: at} = f}} = gen,
         sought \\ nil
       ) do
    k = refill_size(gen)
    record? = is_integer(gen.next_child)

    ask =
      {Boundary.next_childs(record?), if(match?({:tags, _}, f.lift), do: :tags, else: :untagged)}

    case Boundary.cursor_refill(cursor, at, k, ask, f.pools, f.dirty) do
      {:ok, {ops, ncs, tags}} -> cursor_mapped(gen, Lift.apply_safe(ops, f.lift, tags), ncs)
      {:error, :stale} when sought == :made -> restart_cursor(gen)
      {:error, :stale} -> seek_cursor(gen)
    end
  end

  # The cursor has moved on (another holder of this value refilled from
  # it): one of our own over the same decoded plan, at `at`; made again
  # from the children only when it is not of this VM.
  defp seek_cursor(%G{engine: %{frontier: %Cursor{ref: cursor, at: at} = f} = e} = gen) do
    case Boundary.cursor_seek(cursor, at, f.dirty) do
      {:ok, cursor} -> cursor_refill(%{gen | engine: %{e | frontier: %{f | ref: cursor}}}, :made)
      {:error, :stale} -> restart_cursor(gen)
    end
  end

  # The cursor again, from the children as they are now.
  defp restart_cursor(gen) do
    gen = settle(gen)
    gen |> start_cursor(Tree.mode(gen), nil) |> cursor_refill()
  end

  defp cursor_mapped(gen, {:ok, ops}, ncs), do: cursor_refilled(gen, ops, ncs)

  # A map's function raised on one of the ops: this refill again without the
  # cursor (the state before it is still the children's plus `at`), which
  # stops short of that op.
  defp cursor_mapped(gen, {:raised, _j, _error}, _ncs),
    do: gen |> settle() |> refill(:lifted, nil)

  defp cursor_refilled(_gen, [], _ncs), do: :done

  defp cursor_refilled(%G{engine: %{frontier: %Cursor{at: at} = f} = e} = gen, ops, ncs) do
    at = at + length(ops)
    engine = %{e | frontier: %{f | at: at}, refilled: at, refills: e.refills + 1}
    next(%{gen | buf: ops, pos: ncs, engine: engine})
  end

  # True when the list has at least n elements (stops counting there).
  defp at_least?(_list, n) when n <= 0, do: true
  defp at_least?([_ | rest], n), do: at_least?(rest, n - 1)
  defp at_least?([], _n), do: false

  @doc false
  # Up to k ops and the generator after them, for Enumerable: a composite's
  # buffer as it is, else one refill.
  @spec chunk(G.t(), pos_integer()) :: {[term()], G.t()}
  def chunk(%G{remaining: 0} = gen, _k), do: {[], gen}

  def chunk(%G{buf: [_ | _]} = gen, _k), do: drain_buffer(gen)

  # A short finite leaf or native tree (a take(20) per iteration): all its
  # ops from one engine call, as each/2 gets them.
  def chunk(%G{remaining: r, children: nil} = gen, _k) when is_integer(r) and r <= @max_chunk do
    pos = Node.position(gen)
    {ops, n, gen} = Boundary.leaf_ops(gen, pos, r)
    {ops, %{gen | buf: [], pos: pos + n, remaining: r - n}}
  end

  def chunk(%G{remaining: r} = gen, _k) when is_integer(r) and r <= @max_chunk do
    if Tree.runs?(gen) do
      gen = settle_frontier(gen)

      case run_ops(gen, r, false) do
        {gen, {[], _ncs, _state, _tags}} -> {[], gen}
        {gen, {ops, _ncs, state, _tags}} -> {ops, apply_state(gen, state)}
      end
    else
      step(gen, r)
    end
  end

  def chunk(gen, k) do
    if Tree.runs?(gen) do
      case next(gen) do
        :done -> {[], gen}
        {op, gen} -> gen |> drain_buffer() |> then(fn {ops, gen} -> {[op | ops], gen} end)
      end
    else
      step(gen, k)
    end
  end

  # The buffered ops `next/1` would still give, and the generator after them.
  defp drain_buffer(%G{buf: buf, pos: [_ | _] = ncs, next_child: nc, remaining: r} = gen) do
    n = Node.cap(length(buf), r)
    last = if n == 0, do: nc, else: Enum.at(ncs, n - 1)

    {Enum.take(buf, n),
     %{
       gen
       | buf: Enum.drop(buf, n),
         pos: Enum.drop(ncs, n),
         next_child: last,
         remaining: Node.sub(r, n)
     }}
  end

  defp drain_buffer(%G{buf: buf, remaining: r} = gen) do
    n = Node.cap(length(buf), r)
    {Enum.take(buf, n), %{gen | buf: Enum.drop(buf, n), remaining: Node.sub(r, n)}}
  end

  @doc false
  # Up to k ops by next/1, and the generator after them (what only Elixir
  # can run: maps, filters, selections and composites holding them).
  @spec step(G.t(), non_neg_integer()) :: {[term()], G.t()}
  def step(gen, k), do: step(gen, k, [])

  defp step(gen, 0, ops), do: {Enum.reverse(ops), gen}

  defp step(gen, k, ops) do
    case next(gen) do
      :done -> {Enum.reverse(ops), gen}
      {op, gen} -> step(gen, k - 1, [op | ops])
    end
  end

  # ------------------------------------------------------------ drop/2

  @doc false
  # `gen` after n ops (or after all of them when it has fewer).
  @spec drop(G.t(), non_neg_integer()) :: G.t()
  def drop(gen, 0), do: gen

  # A zip past 2^64 ops (the most one engine skip takes, which a zip holding
  # a counter past the engine's integers cannot run at all): every child
  # moves by the same count (skip.rs, Zip::skip), so drop the children (O(1)
  # for leaves, at any n).
  def drop(%G{kind: :zip} = gen, n) when n > @max_u64 do
    gen = settle(gen)
    caps = [gen.remaining | Enum.map(gen.children, &capacity/1)]

    if :unknown in caps do
      gen |> settle_frontier() |> skip(n) |> materialize()
    else
      m = caps |> Enum.filter(&is_integer/1) |> Enum.reduce(n, &min/2)

      %{
        gen
        | children: Enum.map(gen.children, &drop(&1, m)),
          remaining: Node.sub(gen.remaining, m)
      }
    end
  end

  def drop(%G{children: nil, remaining: r} = gen, n) do
    n = Node.cap(n, r)
    pos = Node.position(gen)
    %{gen | buf: [], pos: pos + n, remaining: Node.sub(r, n)}
  end

  def drop(%G{kind: :select} = gen, n), do: Select.drop(gen, n)

  # A map is one op of its child per op, and its function is pure: skipping
  # n of its ops skips n of the child's, without computing them (when the
  # child's length is known; a filter's is not, so that one steps).
  def drop(%G{kind: :map, children: [child], remaining: r} = gen, n) do
    case capacity(child) do
      :unknown ->
        walk(gen, n)

      c ->
        n = n |> Node.cap(r) |> Node.cap(c)
        %{gen | children: [drop(child, n)], remaining: Node.sub(r, n)}
    end
  end

  def drop(%G{buf: [_ | _]} = gen, n) do
    b = Node.buffered(gen)

    if n <= b do
      walk(gen, n)
    else
      gen |> walk(b) |> drop(n - b)
    end
  end

  def drop(gen, n) do
    if Tree.runs?(gen),
      do: gen |> settle_frontier() |> skip(n) |> materialize(),
      else: walk(gen, n)
  end

  defp walk(gen, 0), do: gen

  defp walk(gen, n) do
    case next(gen) do
      :done -> gen
      {_op, gen} -> walk(gen, n - 1)
    end
  end

  # Skips n ops in engine calls of bounded work (a call may skip fewer).
  defp skip(gen, n) do
    case run(gen, {:skip, min(n, @max_u64)}) do
      {gen, {0, _state}} ->
        gen

      {gen, {skipped, state}} ->
        gen = apply_state(gen, state)
        if skipped < n, do: skip(gen, n - skipped), else: gen
    end
  end

  @doc false
  # The generator at its exact current state with no buffer (for fork/2,
  # capacity, and children taken into a new composite).
  @spec settle(G.t()) :: G.t()
  def settle(%G{children: nil} = gen), do: %{gen | buf: [], pos: Node.position(gen)}
  def settle(%G{buf: []} = gen), do: gen |> settle_frontier() |> materialize()

  def settle(gen), do: gen |> rebase() |> materialize()

  # The children advanced by the ops consumed since they were written:
  # `engine.refilled` (ops of the last refill, or made by the cursor) less
  # those still buffered.
  defp rebase(%G{engine: engine} = gen) do
    consumed = engine.refilled - Node.buffered(gen)

    base = %{
      gen
      | buf: [],
        pos: 0,
        remaining: :infinity,
        next_child: engine.base_next_child,
        engine: %{engine | frontier: nil, refilled: 0}
    }

    # Only native composites buffer (the others run op by op, step/2).
    %{skip(base, consumed) | remaining: gen.remaining, next_child: gen.next_child}
  end

  # Writes a finished refill's state into the children (buffer used up).
  defp settle_frontier(%G{engine: %{frontier: nil}} = gen), do: gen
  defp settle_frontier(%G{engine: %{frontier: %Cursor{}}} = gen), do: rebase(gen)
  defp settle_frontier(%G{engine: %{frontier: %Frontier.Final{}}} = gen), do: rebase(gen)

  defp settle_frontier(%G{engine: %{frontier: %Frontier.Reported{state: state}} = engine} = gen) do
    gen = %{gen | engine: %{engine | frontier: nil}}
    %{apply_children(gen, state) | remaining: gen.remaining, next_child: gen.next_child}
  end

  # Leaves, maps and filters have no buffer bookkeeping.
  defp settle_frontier(gen), do: gen

  # ------------------------------------------------------------ state

  @doc false
  # Writes an engine state (see native/lockstep_nif/src/lib.rs, `run`) into a
  # generator: ops produced, a mix's next_child, the children's states.
  @spec apply_state(G.t(), term()) :: G.t()
  def apply_state(gen, 0), do: gen

  def apply_state(%G{children: nil} = gen, produced) when is_integer(produced),
    do: %{
      gen
      | buf: [],
        pos: Node.position(gen) + produced,
        remaining: Node.sub(gen.remaining, produced)
    }

  # A map child of a lifted mix: the state is its child's.
  def apply_state(%G{kind: :map, children: [child]} = gen, state),
    do: %{
      gen
      | children: [apply_state(child, state)],
        remaining: Node.sub(gen.remaining, Supply.produced(state))
    }

  def apply_state(gen, %{produced: produced, next_child: nc} = state) do
    gen = apply_children(gen, state)
    %{gen | remaining: Node.sub(gen.remaining, produced), next_child: nc}
  end

  defp apply_children(%G{engine: %{ahead: [_ | _] = ahead}} = gen, %{children: states} = state)
       when is_list(states) do
    {children, ahead} =
      [gen.children, states, ahead]
      |> Enum.zip()
      |> Enum.map(fn
        {child, s, nil} -> {apply_state(child, s), nil}
        {child, s, entry} -> Supply.take(child, Supply.produced(s), entry)
      end)
      |> Enum.unzip()

    apply_children(%{gen | children: children, engine: %{gen.engine | ahead: ahead}}, %{
      state
      | children: nil
    })
  end

  defp apply_children(gen, %{produced: produced, children: nil}), do: count_rpos(gen, produced)

  defp apply_children(gen, %{produced: produced, children: states}) do
    children = :lists.zipwith(&apply_state/2, gen.children, states)
    count_rpos(%{gen | children: children}, produced)
  end

  defp apply_children(gen, 0), do: gen

  # A random mix's own op index moves with every op it serves.
  defp count_rpos(%G{engine: %Composite{rpos: rpos} = engine} = gen, produced)
       when is_integer(rpos),
       do: %{gen | engine: %{engine | rpos: rpos + produced}}

  defp count_rpos(gen, _produced), do: gen

  # `gen` with its supplied children at their exact states (a tree with
  # none pulled ahead, as every fresh one, is as it is: no call, no fun).
  defp materialize(%G{engine: %{ahead: [_ | _]}} = gen), do: Supply.materialize(gen, &drop/2)
  defp materialize(gen), do: gen

  # ------------------------------------------------------------ the engine call

  # One engine call on `gen`'s tree; `{gen, result}`, where gen has its alias
  # tables rebuilt if they had gone stale (a value from another VM).
  defp run(gen, request), do: run(gen, request, Tree.mode(gen), nil)

  defp run(gen, request, :supplied, _made), do: run_supplied(gen, request)
  defp run(gen, request, _mode, made), do: Boundary.run(gen, request, made)

  defp run_supplied(gen, request) do
    {request, k} =
      case request do
        {:skip, n} -> {{:skip, min(n, @supply_skip)}, min(n, @supply_skip)}
        {:ops, k, _next_childs, _tags, _state} -> {request, k}
      end

    gen = Supply.supply(gen, k, &pull/2)
    {gen, result} = Boundary.run(gen, request)

    if Supply.ok?(gen, Boundary.state(result)),
      do: {gen, result},
      else: run_to_error(gen, request, 0, k)
  end

  # The engine reached an op a supplied child could not give (pulling it
  # raised): the longest run that stops short of it, found by bisection
  # (lo runs short of it, hi does not), so next/1 gives every op before it
  # and raises on that one, as stepping would.
  defp run_to_error(gen, request, lo, hi) when hi - lo <= 1 do
    if lo == 0 do
      # The first op already needs it: what the child raised, now.
      {_gen, result} = Boundary.run(gen, with_count(request, 1))
      Supply.raise!(gen, Boundary.state(result))
    else
      Boundary.run(gen, with_count(request, lo))
    end
  end

  defp run_to_error(gen, request, lo, hi) do
    mid = div(lo + hi, 2)
    {_gen, result} = Boundary.run(gen, with_count(request, mid))

    if Supply.ok?(gen, Boundary.state(result)),
      do: run_to_error(gen, request, mid, hi),
      else: run_to_error(gen, request, lo, mid)
  end

  defp with_count({:skip, _n}, n), do: {:skip, n}

  defp with_count({:ops, _k, next_childs, tags, state}, k),
    do: {:ops, k, next_childs, tags, state}

  # Up to k ops of a tree the engine runs (`{:ops, k, record}`, see run/2),
  # with the functions of a lifted mix's map children applied to the ops
  # those children served.
  defp run_ops(gen, k, record?), do: run_ops(gen, k, record?, Tree.mode(gen), nil)

  # The last k ops of a fold over a native tree, without the state after
  # them (nobody reads it): `{:ok, ops}` when the call gave all k, else
  # :short (the call's work budget ran out, or the tree is not native: ask
  # with the state).
  defp final_ops(gen, k) do
    with :native <- Tree.mode(gen),
         {:ok, ops, _ncs, _gen} <- final_run(gen, k, false, nil) do
      {:ok, ops}
    else
      _ -> :short
    end
  end

  # The k ops of a native tree without the state after them (with
  # `record?`, the next_child after each too), and the tree (tables
  # rebuilt if stale); :short when the call gave fewer (its work budget ran
  # out: ask with the state).
  defp final_run(gen, k, record?, made) do
    with {gen, {[_ | _] = ops, ncs, _state, _tags}} <-
           run(gen, Boundary.ops(k, record?, state: false), :native, made),
         ^k <- length(ops) do
      {:ok, ops, ncs, gen}
    else
      _ -> :short
    end
  end

  # `made`: the tree's spec and pools when already made (or nil).
  defp run_ops(gen, k, record?, :lifted, made) do
    lift = Lift.of(gen, :lifted)
    request = Boundary.ops(k, record?, tags: match?({:tags, _}, lift))
    {gen, {ops, ncs, state, tags}} = run(gen, request, :lifted, made)

    case Lift.apply_safe(ops, lift, tags) do
      {:ok, ops} ->
        {gen, {ops, ncs, state, tags}}

      # A map's function raised on op j: the ops before it (the engine run
      # again for just those), the error left for the call that reaches it.
      {:raised, 0, {kind, reason, stack}} ->
        :erlang.raise(kind, reason, stack)

      {:raised, j, _error} ->
        run_ops(gen, j, record?, :lifted, made)
    end
  end

  defp run_ops(gen, k, record?, mode, made), do: run(gen, Boundary.ops(k, record?), mode, made)

  # ------------------------------------------------------------ folds

  @doc false
  # Calls `fun.(op)` for every op of `gen`; returns the count.
  @spec each(G.t(), (term() -> term())) :: non_neg_integer()
  def each(gen, fun) do
    fold_chunks(gen, 0, fn
      {indices, pool}, n, count ->
        each_picked(indices, pool, fun, nil)
        count + n

      ops, n, count ->
        each_op(ops, fun, nil)
        count + n
    end)
  end

  # `fun.(op)` for each op of a list. Each call's result is handed to the
  # next step (`_last`) and dropped there: a loop that drops it at once,
  # as `:lists.foreach/2` does, costs about 7 ns an op more when `fun` does
  # little, 1-2 ns when it hashes its op (OTP 25, measured; the loops differ
  # in nothing else).
  defp each_op([op | ops], fun, _last), do: each_op(ops, fun, fun.(op))
  defp each_op([], _fun, _last), do: :ok

  @doc false
  # `fun.(op, acc)` over every op of `gen`.
  @spec reduce(G.t(), acc, (term(), acc -> acc)) :: acc when acc: term()
  def reduce(gen, acc, fun) do
    fold_chunks(gen, acc, fn
      {indices, pool}, _n, acc -> reduce_picked(indices, pool, acc, fun)
      ops, _n, acc -> :lists.foldl(fun, acc, ops)
    end)
  end

  # (As each_op/3.)
  defp each_picked([i | rest], pool, fun, _last),
    do: each_picked(rest, pool, fun, fun.(elem(pool, i)))

  defp each_picked([], _pool, _fun, _last), do: :ok

  defp reduce_picked([i | rest], pool, acc, fun),
    do: reduce_picked(rest, pool, fun.(elem(pool, i), acc), fun)

  defp reduce_picked([], _pool, acc, _fun), do: acc

  # Folds `fun.(chunk, chunk_length, acc)` over `gen` until it is exhausted.
  # A composite's buffered ops come first.
  defp fold_chunks(%G{buf: [_ | _], children: [_ | _], remaining: r} = gen, acc, fun)
       when r != 0 do
    {ops, gen} = chunk(gen, @max_chunk)
    fold_chunks(gen, fun.(ops, length(ops), acc), fun)
  end

  defp fold_chunks(%G{children: nil, remaining: remaining} = gen, acc, fun)
       when remaining != 0,
       do: leaf_loop(gen, Node.position(gen), remaining, acc, fun)

  defp fold_chunks(%G{kind: :map, children: [child]} = gen, acc, fun) do
    if Tree.runs?(child) do
      fold_chunks(Node.take(child, gen.remaining), acc, fn chunk, n, acc ->
        fun.(Lift.map_ops(gen, materialize_chunk(chunk)), n, acc)
      end)
    else
      fold_steps(gen, acc, fun)
    end
  end

  defp fold_chunks(%G{kind: :filter, children: [child], remaining: :infinity} = gen, acc, fun) do
    %{pred: pred, max: max} = gen.engine

    if Tree.runs?(child) do
      {acc, _rejected} =
        fold_chunks(child, {acc, 0}, fn chunk, _n, {acc, rejected} ->
          {kept, rejected} = Filter.chunk(materialize_chunk(chunk), pred, max, rejected)
          {fun.(kept, length(kept), acc), rejected}
        end)

      acc
    else
      fold_steps(gen, acc, fun)
    end
  end

  # A short fold (a take of at most one chunk, as a fresh generator per
  # iteration has) needs no cursor: the engine's run/3 gives the ops at once.
  defp fold_chunks(%G{remaining: r} = gen, acc, fun) when is_integer(r) and r <= @max_chunk do
    cond do
      r == 0 -> acc
      Tree.runs?(gen) -> run_fold(settle(gen), acc, fun)
      true -> fold_steps(gen, acc, fun)
    end
  end

  defp fold_chunks(gen, acc, fun) do
    cond do
      gen.remaining == 0 -> acc
      Tree.native?(gen) -> plan_fold(settle(gen), acc, fun)
      # A mix, concat or zip of maps (lifted) or holding what the engine
      # cannot run (supplied).
      Tree.runs?(gen) -> run_fold(settle(gen), acc, fun)
      true -> fold_steps(gen, acc, fun)
    end
  end

  # One run/3 call per chunk of at most @max_chunk ops, the tree's state
  # written back between calls: short folds, and lifted mixes (whose ops
  # carry tags that a cursor does not give).
  defp run_fold(%G{remaining: 0}, acc, _fun), do: acc

  # All that is left in one call: the state after it is never read.
  defp run_fold(%G{remaining: r} = gen, acc, fun) when is_integer(r) and r <= @max_chunk do
    case final_ops(gen, r) do
      {:ok, ops} -> fun.(ops, r, acc)
      :short -> run_chunks(gen, acc, fun)
    end
  end

  defp run_fold(gen, acc, fun), do: run_chunks(gen, acc, fun)

  defp run_chunks(%G{remaining: 0}, acc, _fun), do: acc

  defp run_chunks(%G{remaining: r} = gen, acc, fun) do
    case run_ops(gen, cap_chunk(r), false) do
      {_gen, {[], _ncs, _state, _tags}} ->
        acc

      {gen, {ops, _ncs, state, _tags}} ->
        n = length(ops)
        acc = fun.(ops, n, acc)
        if n == r, do: acc, else: run_chunks(apply_state(gen, state), acc, fun)
    end
  end

  defp cap_chunk(:infinity), do: @max_chunk
  defp cap_chunk(r), do: min(r, @max_chunk)

  # A tree the engine runs whole: one plan, drained chunk by chunk. The
  # leaves' pools go to every call grouped (Boundary.pool_groups/1; no flat
  # pool is built); the engine reads only the leaves it picks from.
  defp plan_fold(gen, acc, fun) do
    {cursor, pools, gen} = Boundary.plan(gen)
    plan_loop(cursor, Boundary.pool_groups(pools), Boundary.cursor_reads(gen, pools), acc, fun)
  end

  defp materialize_chunk({indices, pool}), do: for(i <- indices, do: elem(pool, i))
  defp materialize_chunk(ops), do: ops

  # Generators with Elixir functions inside step op by op (in chunks of
  # next/1 calls, so the fold callback is shared).
  defp fold_steps(gen, acc, fun) do
    case step(gen, @max_chunk) do
      {[], _gen} -> acc
      {ops, gen} -> fold_steps(gen, fun.(ops, length(ops), acc), fun)
    end
  end

  # A leaf's op i needs no state but its position, so each chunk is one
  # engine call, no cursor: a pick chunk (terms, or indices for large pools)
  # or built values (fewer than asked past the call's budget).
  defp leaf_loop(_gen, _pos, 0, acc, _fun), do: acc

  defp leaf_loop(gen, pos, remaining, acc, fun) do
    k = if remaining == :infinity, do: @max_chunk, else: min(remaining, @max_chunk)

    {chunk, n, gen} =
      if gen.kind in @pick_kinds do
        {chunk, gen} = Boundary.leaf_chunk(gen, pos, k)
        {chunk, k, gen}
      else
        Boundary.leaf_ops(gen, pos, k)
      end

    remaining = if remaining == :infinity, do: :infinity, else: remaining - n
    leaf_loop(gen, pos + n, remaining, fun.(chunk, n, acc), fun)
  end

  defp plan_loop(cursor, pools, reads, acc, fun) do
    case Boundary.cursor_chunk(cursor, @max_chunk, pools, reads) do
      [] -> acc
      ops -> plan_loop(cursor, pools, reads, fun.(ops, length(ops), acc), fun)
    end
  end

  # ------------------------------------------------------------ supplied children

  # The next (up to) m ops of `gen` and `gen` after them: `{ops, n, gen,
  # done, error}`. A map or filter over a tree the engine runs takes that
  # tree's ops a chunk at a time; anything else steps.
  defp pull(%G{remaining: 0} = gen, _m), do: {[], 0, gen, true, nil}

  defp pull(%G{kind: kind, children: [child]} = gen, m) when kind in [:map, :filter] do
    if Tree.runs?(child),
      do: pull_chunked(gen, Node.cap(m, gen.remaining)),
      else: pull(gen, m, [], 0)
  end

  defp pull(gen, m), do: pull(gen, m, [], 0)

  defp pull(gen, 0, acc, n), do: {:lists.reverse(acc), n, gen, false, nil}

  defp pull(gen, m, acc, n) do
    case pull_one(gen) do
      {:ok, {op, gen}} -> pull(gen, m - 1, [op | acc], n + 1)
      {:ok, :done} -> {:lists.reverse(acc), n, gen, true, nil}
      {:error, error} -> {:lists.reverse(acc), n, gen, false, error}
    end
  end

  # Chunks of the child's ops through the map's function or the filter's
  # predicate until m are kept; the child is moved on past the last op
  # looked at (a filter stops right after the op it keeps last).
  defp pull_chunked(gen, m), do: pull_chunked(gen, m, [], 0, 0)

  defp pull_chunked(gen, m, acc, n, _rejected) when n >= m,
    do: {:lists.reverse(acc), n, gen, gen.remaining == 0, nil}

  defp pull_chunked(%G{children: [child]} = gen, m, acc, n, rejected) do
    case chunk(child, m - n) do
      {[], _child} ->
        {:lists.reverse(acc), n, gen, true, nil}

      {ops, after_chunk} ->
        case keep_chunk(gen, ops, m - n, acc, rejected) do
          # The function or predicate raised on an op of this chunk: step
          # from the chunk's start, so the error waits at that op.
          :raised ->
            pull(gen, m - n, acc, n)

          {:all, acc, kept, rejected} ->
            gen = %{gen | children: [after_chunk], remaining: Node.sub(gen.remaining, kept)}
            pull_chunked(gen, m, acc, n + kept, rejected)

          {:stop, acc, kept, used, error} ->
            gen = %{
              gen
              | children: [drop(child, used)],
                remaining: Node.sub(gen.remaining, kept)
            }

            {:lists.reverse(acc), n + kept, gen, false, error}
        end
    end
  end

  defp keep_chunk(gen, ops, want, acc, rejected) do
    keep(gen, ops, want, acc, 0, rejected, 0)
  catch
    _kind, _reason -> :raised
  end

  # Goes through a chunk: `{:all, acc, kept, rejected}` when all of it was
  # used, else `{:stop, acc, kept, used, error}`: the first `used` ops were
  # used (`want` kept, or a filter past its :max_rejections).
  defp keep(_gen, [], _want, acc, kept, rejected, _used), do: {:all, acc, kept, rejected}
  defp keep(_gen, _ops, want, acc, want, _rejected, used), do: {:stop, acc, want, used, nil}

  defp keep(%G{kind: :map} = gen, [op | ops], want, acc, kept, r, used),
    do: keep(gen, ops, want, [Lift.map_op(gen, op) | acc], kept + 1, r, used + 1)

  defp keep(%G{engine: %{pred: pred, max: max}} = gen, [op | ops], want, acc, kept, r, used) do
    cond do
      pred.(op) -> keep(gen, ops, want, [op | acc], kept + 1, 0, used + 1)
      Filter.too_many?(r, max) -> {:stop, acc, kept, used - r, rejection_error(max)}
      true -> keep(gen, ops, want, acc, kept, r + 1, used + 1)
    end
  end

  defp rejection_error(max) do
    Filter.too_many!(max)
  catch
    kind, reason -> {kind, reason, __STACKTRACE__}
  end

  defp pull_one(gen) do
    {:ok, next(gen)}
  catch
    kind, reason -> {:error, {kind, reason, __STACKTRACE__}}
  end
end
