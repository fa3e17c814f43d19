defmodule Lockstep.Generator do
  @moduledoc """
  Deterministic, seeded streams of operations for Jepsen-style workloads.

  ## The model

  A generator is a plain, immutable value that describes a stream of "ops"
  (tuples or atoms saying what a worker does next). Op `i` of a seeded
  generator is a pure function of `(seed, stream, i)`: it does not depend on
  the ops before it, on which process runs it, or on the machine. Everything
  else follows from that:

    * workers get independent streams with `fork/2` and `split/2`, and a run
      is replayed from any op with `drop/2` (O(1) for leaves);
    * `select/2` picks ops by position, and removing ops from a workload
      leaves every other op unchanged: `shrink/3` cuts a failing workload
      down to the ops that matter, and `check/3` runs seeds, shrinks the
      first failure and reports it inside ExUnit;
    * a failure is kept as source (`recipe/1`) or as a replay file
      (`save/2`, `load/1`, `mix lockstep.gen --load`).

  Workers pull ops in a loop (`next/1`, `each/2`, `reduce/3`, `Enum`); the
  results are recorded via `Lockstep.History`.

  ## Quick example

  A register (an Agent here), 50 seeded ops, and the history of what each
  op returned (in a Lockstep test, `Lockstep.History.op(history, Op.f(op),
  Op.value(op), fn -> apply_op.(op) end)` records the same):

      iex> alias Lockstep.Generator, as: G
      iex> alias Lockstep.Generator.Op
      iex> {:ok, reg} = Agent.start_link(fn -> nil end)
      iex> apply_op = fn
      ...>   :read -> Agent.get(reg, & &1)
      ...>   {:write, v} -> Agent.update(reg, fn _ -> v end)
      ...>   {:cas, old, new} ->
      ...>     Agent.get_and_update(reg, fn v -> if v == old, do: {true, new}, else: {false, v} end)
      ...> end
      iex> gen = G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 42) |> G.take(50)
      iex> history =
      ...>   G.reduce(gen, [], fn op, acc -> [{Op.f(op), Op.value(op), apply_op.(op)} | acc] end)
      ...>   |> Enum.reverse()
      iex> Enum.take(history, 4)
      [{:cas, {1, 2}, false}, {:write, 1, :ok}, {:read, nil, 1}, {:write, 2, :ok}]
      iex> length(history)
      50

  ## Built-in generators

  Leaves (pools of ops and values):

    * `random/2` — uniform random over a pool of ops, seeded so iterations are
      reproducible.
    * `cycle/1` — fixed sequence repeated forever.
    * `weighted/2` — biased random sampling.
    * `integers/2` — uniform random integers from a range.
    * `zipf/2` — Zipf-distributed ranks `1..n` (hot keys).
    * `counter/1` — unique increasing integers.
    * `Lockstep.Generator.Workloads.register/1`, `list_append/1`, `bank/1` —
      ready-made register, Elle list-append and bank workloads.

  Composites and transformations:

    * `mix/2` — interleave outputs from multiple generators round-robin (or
      pick a child at random per op, `strategy: :random`).
    * `concat/1` — each generator to exhaustion, then the next (phases).
    * `zip/1` — tuples of one op from each generator.
    * `map/2`, `filter/3` — pure transformations of the ops.
    * `take/2` — limit any generator to N ops total.

  Streams and positions: `fork/2` and `split/2` (independent per-worker
  streams), `drop/2` (skip ops, O(1) for leaves). Consuming: `next/1`,
  `each/2`, `reduce/3`, `stats/2`, and `Enumerable` (`Enum.take/2`, …).
  `Lockstep.Generator.Op` gives an op's `f` and `value` for `Lockstep.History`.

  Failures: `select/2`, `shrink/3`, `check/3`, `recipe/1`, `save/2`,
  `load/1`.

  ## Values

  Generators are immutable; `next/1` returns `{op, new_gen}` or `:done`. They
  DON'T allocate processes — pass a generator into a closure and the worker
  advances it locally with no controller involvement. A generator is plain data:
  the same value can be used by many processes at once, and it survives
  `:erlang.term_to_binary/1` into another VM or node, where it continues the
  identical stream.

  Exactly which values travel that way (to a VM with this package loaded):
  every generator built without `map/2` or `filter/3` — leaves, workloads,
  mixes, concats, zips, takes, forks, drops, at any position — and generators
  whose `map/2`/`filter/3` functions are named captures such as
  `&MyMod.to_op/1` (external funs: they need `MyMod` loaded there, any
  version). Generators holding anonymous functions (`fn op -> … end`,
  `&{:write, &1}`) do not: a local fun only runs in a VM that has the very
  same compiled version of the module that created it; elsewhere the
  generator raises when it reaches the fun (`UndefinedFunctionError` if that
  module is not loaded there, `BadFunctionError` if another version is).

  ## Seeding

  When a generator is created without an explicit `:seed`, or with
  `seed: nil` (so `seed: opts[:seed]` with no seed given draws one), it draws
  one from 64 bits — fine for one-off use, but iterations may diverge. The
  drawn seed is
  stored in `gen.seed` (and shown by `inspect/1`), so it can always be passed
  back to reproduce the stream. For Jepsen-style reproducibility, pass an
  explicit seed per iteration and give each worker its own stream with
  `fork/2` or `split/2` (`random(ops, seed: iter_seed) |> split(workers)`),
  rather than hashing a per-worker seed yourself with
  `:erlang.phash2({iter_seed, worker_id})` (27 bits: repeats are likely over
  many iterations and workers).

  `:seed` accepts any term. Integers in `-2^63..2^64-1` are used as they are;
  any other term, like any fork key, is first reduced to 64 bits:
  `phash2({1, term}, 2^32) * 2^32 + phash2({2, term}, 2^32)` with
  `:erlang.phash2/2`, which OTP documents as stable across machines and
  releases (`docs/STREAM.md`, section 1). A term with a map inside is
  hashed the same way as its canonical form (pairs sorted, no maps), so
  maps get the full 64 bits too.

  ## Stability

  Op number `i` of a seeded generator is a pure function of `(seed, stream, i)`,
  computed by this package's Rust engine with ChaCha8; bounded integers and
  weighted choice (an integer Walker/Vose alias table) are this package's own
  arithmetic. The definition is written down in `docs/STREAM.md` and pinned by
  golden vectors, so the same seed gives the same ops on every machine and every
  release.
  """

  # The public module, at the top of the layers (docs/DESIGN.md): it keeps
  # the docs, specs, the struct and next/1's hot clauses, and delegates the
  # constructors and combinators to Lockstep.Generator.Build. No module
  # below calls it.
  alias Lockstep.Generator.{Build, Buffer, Compact, Driver, Malformed, Node, Shrink}

  require Buffer

  # Constructors build a generator as an update of the default struct,
  # `%{%__MODULE__{kind: nil} | kind: ..., ...}`: the update shares the
  # literal's keys, where `%__MODULE__{kind: ..., ...}` with computed values
  # builds a new keys tuple (14 words more per generator).
  @enforce_keys [:kind]
  defstruct kind: nil,
            ops: nil,
            weights: nil,
            total: nil,
            children: nil,
            next_child: nil,
            remaining: :infinity,
            seed: nil,
            # Internal fields (not part of the API), kept few because next/1
            # copies the struct on every op:
            #   * buf: prefetched ops. For a leaf, the ops just before op
            #     `pos`; for a composite, see Lockstep.Generator.Driver.
            #   * pos: a leaf's op index right after `buf` (the next op is op
            #     `pos - length(buf)`); for a composite, the `next_child`
            #     after each op of `buf`, in order, when it has one (a
            #     round-robin mix, a concat), else `[]`; 0 when fresh. (A
            #     composite keeps its refill's size in its settings,
            #     `engine.refilled`.)
            #   * engine: the node's own settings, a struct by kind
            #     (Lockstep.Generator.Settings: Leaf, Weighted, Value, Composite,
            #     Map, Filter, Select, Independent; each field explained
            #     there).
            buf: [],
            pos: 0,
            engine: nil

  @typedoc """
  A generator. The documented fields:

    * `kind` — `:random`, `:cycle`, `:weighted` or `:mix` for the documented
      constructors; the added ones use `:concat`, `:zip`, `:map`, `:filter`,
      `:integers`, `:zipf`, `:counter`, the workloads `:register`, `:bank`
      and `:list_append`; `select/2` makes `:select`, `independent/2`
      `:independent`.
    * `ops` — the pool of ops as given (for `:weighted`, the ops without their
      weights); `nil` for `:mix`.
    * `weights` — the integer weights, in the order of `ops` (`:weighted` only).
    * `total` — the sum of `weights` (`:weighted` only).
    * `children` — the child generators (`:mix`, and the composites
      `:concat`, `:zip`, `:map`, `:filter`, `:select`). `next/1` on a mix,
      concat or zip pops ops that one engine call prefetched: while ops are
      buffered, `children` hold their state as of that call (before the
      buffered ops), or, in a tree of 32 leaves or more, which keeps its
      engine plan between calls, as of the call that made the plan; a
      filter, select or map over one inside a mix, concat or zip has its
      next ops pulled ahead and may lag further (see docs/DESIGN.md). A
      generator with no buffer (new, or returned by `fork/2`, or by
      `drop/2` from one with no buffer) has them exact.
    * `next_child` — index of the child asked next, starting at 0 (`:mix`;
      the current phase of a `:concat`; `nil` for a `strategy: :random` mix,
      whose next child is drawn); exact after every `next/1`.
    * `remaining` — ops left before `:done`: `:infinity` until `take/2`;
      exact after every `next/1`.
    * `seed` — the seed of the stream (`:random` and `:weighted`; `nil` otherwise).

  Other fields are internal.
  """
  @type t() :: %__MODULE__{
          children: [t()] | nil,
          kind:
            :random
            | :cycle
            | :weighted
            | :mix
            | :concat
            | :zip
            | :map
            | :filter
            | :integers
            | :zipf
            | :counter
            | :transfer
            | :register
            | :bank
            | :list_append
            | Lockstep.Generator.Combinators.kind()
            | :select
            | :independent,
          next_child: non_neg_integer() | nil,
          ops: [any()] | nil,
          remaining: non_neg_integer() | :infinity,
          seed: any(),
          total: non_neg_integer() | nil,
          weights: [non_neg_integer()] | nil
        }

  @doc """
  Uniform random sampling over `ops` with replacement. Pass `:seed` to make the
  stream reproducible across runs.

  Options:

    * `:seed` — any term but `nil`; see "Seeding" in the module doc. Without
      it (or with `seed: nil`), a fresh 64-bit seed is drawn and stored in
      `gen.seed`.

  ## Examples

      iex> gen = Lockstep.Generator.random([:read, {:write, 1}, {:cas, 1, 2}], seed: 42)
      iex> gen |> Lockstep.Generator.take(6) |> Lockstep.Generator.reduce([], &[&1 | &2]) |> Enum.reverse()
      [{:cas, 1, 2}, {:write, 1}, :read, {:write, 1}, :read, {:write, 1}]
      iex> gen.seed
      42

  """
  @spec random([any()], keyword()) :: t()
  defdelegate random(ops, opts \\ []), to: Build

  @doc """
  Fixed sequence repeated forever (until `take/2`-limited).

  ## Examples

      iex> Lockstep.Generator.cycle([:a, :b, :c])
      ...> |> Lockstep.Generator.take(7)
      ...> |> Lockstep.Generator.reduce([], &[&1 | &2])
      ...> |> Enum.reverse()
      [:a, :b, :c, :a, :b, :c, :a]

  """
  @spec cycle([any()]) :: t()
  defdelegate cycle(ops), to: Build

  @doc """
  Weighted random sampling. `weighted_ops` is a list of `{op, weight}` tuples.
  Higher weight = more likely to be picked: op `j` is picked with probability
  `weight_j / total`; a weight of 0 means never picked.

  Weights are non-negative integers, not all zero, adding up to at most
  `2^64 - 1`. Options: `:seed`, as for `random/2`.

  ## Examples

      iex> gen = Lockstep.Generator.weighted([read: 3, write: 1, delete: 0], seed: 7)
      iex> {gen.ops, gen.weights, gen.total}
      {[:read, :write, :delete], [3, 1, 0], 4}
      iex> gen |> Lockstep.Generator.take(8) |> Lockstep.Generator.reduce([], &[&1 | &2]) |> Enum.reverse()
      [:read, :read, :read, :read, :read, :read, :read, :write]

  """
  @spec weighted([{any(), non_neg_integer()}], keyword()) :: t()
  defdelegate weighted(weighted_ops, opts \\ []), to: Build

  @doc """
  Round-robin interleave outputs from `gens`, in list order, starting with the
  first child. When any child is exhausted, this generator becomes done: the
  mix asks the child whose turn it is, and is done when that child answers
  `:done` (so each child gives all its ops: `mix([take(a, 2), b])` is
  `a, b, a, b`).

  Options:

    * `:strategy` — `:round_robin` (the default): one op from each child in
      list order, as above; no randomness. `:random`: each op comes from a
      child drawn from the mix's own seeded stream (so it forks, drops and
      replays like any seeded generator; `next_child` is `nil`).
    * `:seed` — with `strategy: :random` only: the seed of that stream, any
      term, as for `random/2` (default: a fresh seed, stored in `gen.seed`).
    * `:weights` — with `strategy: :random` only: one non-negative integer per
      child, not all zero, adding up to at most `2^64 - 1`; child `j` is drawn
      with probability `weight_j / total` (default: uniform). Stored in
      `gen.weights` and `gen.total`.
    * `:until` — `:any` (the default): done when the child asked (whose
      turn it is, or the one drawn) answers `:done`, not before: a child
      that has just given its last op does not end the mix until it is
      asked again. `:all`: exhausted children are skipped, and the mix is done when its last
      child finishes (the reading of the `next/1` doc); with `strategy:
      :random`, a draw that lands on an exhausted child moves to the next live
      one in list order.

  `:seed` or `:weights` without `strategy: :random` is an `ArgumentError`.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.mix([G.cycle([:a]), G.cycle([:b, :c])]) |> G.take(5) |> G.reduce([], &[&1 | &2]) |> Enum.reverse()
      [:a, :b, :a, :c, :a]
      iex> G.mix([G.take(G.cycle([:a]), 2), G.cycle([:b])]) |> G.reduce([], &[&1 | &2]) |> Enum.reverse()
      [:a, :b, :a, :b]
      iex> G.mix([G.take(G.cycle([:a]), 1), G.take(G.cycle([:b]), 3)], until: :all)
      ...> |> G.reduce([], &[&1 | &2]) |> Enum.reverse()
      [:a, :b, :b, :b]
      iex> G.mix([G.cycle([:r]), G.cycle([:w])], strategy: :random, seed: 1, weights: [3, 1])
      ...> |> G.stats(1000)
      %{r: 737, w: 263}

  """
  @spec mix([t()], keyword()) :: t()
  defdelegate mix(gens, opts \\ []), to: Build

  @doc """
  Each of `gens` to exhaustion, in order, then the next: Jepsen's phases.
  Done when the last child is done; `next_child` is the index of the current
  phase. A child that never ends keeps the ones after it from running.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.concat([G.take(G.cycle([:setup]), 2), G.take(G.cycle([:r, :w]), 3), G.cycle([:teardown])])
      ...> |> G.take(7) |> Enum.to_list()
      [:setup, :setup, :r, :w, :r, :teardown, :teardown]

  """
  @spec concat([t()]) :: t()
  defdelegate concat(gens), to: Build

  @doc """
  Tuples of one op from each of `gens`, in order; done when any child is done.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.zip([G.cycle([:write]), G.counter(1)]) |> G.take(3) |> Enum.to_list()
      [{:write, 1}, {:write, 2}, {:write, 3}]

  """
  @spec zip([t()]) :: t()
  defdelegate zip(gens), to: Build

  @doc """
  `fun.(op)` for every op of `gen`. `fun` must be pure for the stream to be
  reproducible (it may run ahead of `next/1`, on ops still buffered). A map
  over an engine generator runs in chunks, and so does a mix, concat or zip
  whose children are such maps or engine generators (the engine serves the
  ops, `fun` is applied to the ones its child served). Inside a mix, concat
  or zip that also holds a filter, a map's next ops are pulled ahead a chunk
  at a time and the engine composes them (same ops).

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.counter(1) |> G.map(&{:write, &1 * 10}) |> G.take(3) |> Enum.to_list()
      [{:write, 10}, {:write, 20}, {:write, 30}]

  """
  @spec map(t(), (any() -> any())) :: t()
  defdelegate map(gen, fun), to: Build

  @doc """
  The ops of `gen` for which `pred.(op)` is truthy.

  A predicate that rejects everything would make `next/1` loop forever on an
  infinite child; instead, after `:max_rejections` consecutive rejections
  (default 1,000,000) it raises `RuntimeError`. On a finite child the filter is
  done when the child is, so its length is only known by running it.

  `pred` must be pure, like a map's function: `each/2` filters a chunk at a
  time, and inside a mix, concat or zip the filter's next ops are pulled
  ahead of `next/1` and handed to the engine, which composes them (the
  `RuntimeError` is still raised by the call that reaches the op that could
  not be found, after every op before it).

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.counter(1) |> G.filter(&(rem(&1, 3) == 0)) |> G.take(4) |> Enum.to_list()
      [3, 6, 9, 12]

  """
  @spec filter(t(), (any() -> as_boolean(any())), keyword()) :: t()
  defdelegate filter(gen, pred, opts \\ []), to: Build

  @doc """
  Uniform random integers from `range` (`first..last`, step 1), drawn in the
  engine: op `i` is `first + bounded(word_i, size)`. Any range the BEAM holds
  with at most 2^64 values (bounds within ±2^125). Options: `:seed`.

  ## Examples

      iex> Lockstep.Generator.integers(1..6, seed: 3) |> Enum.take(8)
      [5, 5, 4, 6, 1, 2, 6, 5]

  """
  @spec integers(Range.t(), keyword()) :: t()
  defdelegate integers(range, opts \\ []), to: Build

  @doc """
  Zipf-distributed ranks `1..n`: rank `k` with probability ∝ `1/k^skew`, exact
  (rejection-inversion, O(1) per draw for any `n` up to 2^52, the ranks a
  double holds exactly; skew 0 is drawn as exact uniform integers). Options:
  `:skew` (a number ≥ 0, default 1.0), `:seed`.

  ## Examples

      iex> Lockstep.Generator.zipf(1000, skew: 1.2, seed: 1) |> Enum.take(8)
      [12, 124, 1, 66, 1, 1, 1, 13]

  """
  @spec zipf(pos_integer(), keyword()) :: t()
  defdelegate zipf(n, opts \\ []), to: Build

  @doc """
  Unique increasing integers `start, start + 1, ...`: values for writes that
  must be distinct, as linearizability checkers want. Any integer start, and
  any position (`drop/2` by 2^200 included): a counter keeps counting in
  bignums.

  Across workers: `split/2` gives each of its `n` forks its own share of the
  values, so they never repeat across workers: fork `k` counts `start + k,
  start + k + n, start + k + 2n, ...` (a split counter is worker `w` of `W`,
  op `i` is `start + i·W + w`; nested splits compose, see `split/2`).
  `fork/2` alone has no such effect: a counter has no random choices, so
  `fork(gen, key)` counts exactly like `gen`.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.counter(10) |> Enum.take(3)
      [10, 11, 12]
      iex> G.counter(10) |> G.split(3) |> Enum.map(&Enum.take(&1, 3))
      [[10, 13, 16], [11, 14, 17], [12, 15, 18]]
      iex> G.counter(10) |> G.fork(:w1) |> Enum.take(3)
      [10, 11, 12]

  """
  @spec counter(integer()) :: t()
  defdelegate counter(start \\ 1), to: Build

  @doc false
  defdelegate __value__(kind, params, pool, seed), to: Build

  @doc """
  Cap any generator at `n` total ops. After `n` calls to `next/1`, the generator
  returns `:done`. A take of a take keeps the smaller cap.

  ## Examples

      iex> gen = Lockstep.Generator.cycle([:x]) |> Lockstep.Generator.take(3)
      iex> gen.remaining
      3
      iex> Lockstep.Generator.take(gen, 10).remaining
      3
      iex> Lockstep.Generator.each(gen, fn _op -> :ok end)
      3

  """
  @spec take(t(), non_neg_integer()) :: t()
  defdelegate take(gen, n), to: Build

  @doc """
  A generator of the same shape whose random choices come from an independent
  stream chosen by `key` (any term, typically a worker id).

  Same key, same stream; different keys, independent streams (ChaCha stream ids
  derived from the generator's stream and `key`, see `docs/STREAM.md`). It does
  not depend on which process, node or order runs it. Position and `remaining`
  are kept. Forking a mix forks its children; a cycle has no random choices, so
  its fork produces the same ops.

  What `fork/2` guarantees, exactly: every random choice (which op, which
  key, which child, how long a transaction) is drawn from the new stream, and
  nothing else changes. In particular values that are counted rather than
  drawn stay as they are: a `counter/1` forks to the same values, and a
  `Workloads.list_append/1` fork appends the same values as its parent (on
  other keys, in other transactions). Use `split/2` for workers whose values
  must not repeat across the history.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random(Enum.to_list(1..100), seed: 42)
      iex> Enum.take(G.fork(gen, :worker_1), 3) == Enum.take(G.fork(gen, :worker_1), 3)
      true
      iex> Enum.take(G.fork(gen, 1), 5)
      [22, 35, 99, 24, 91]
      iex> Enum.take(G.fork(gen, 2), 5)
      [93, 84, 79, 66, 45]

  """
  @spec fork(t(), term()) :: t()
  defdelegate fork(gen, key), to: Build

  @doc """
  `n` generators for workers `0..n-1`: worker `k` gets `fork(gen, k)`
  (independent random choices), and in addition its own share of every
  value that must be unique, so the workers' values are disjoint.

  Unique values are those of `counter/1` and the appends of
  `Workloads.list_append/1`. Each such leaf is worker `w` of `W` (`W = 1`,
  `w = 0` unless split or given `workers:`/`worker:`): a counter's op `i` is
  `start + i·W + w`, a list-append value `(i·L + j)·W + w + 1`. Fork `k` of
  `split(gen, n)` has, in every such leaf, `W' = W·n` and `w' = w + W·k`.
  The `n` residue classes `w + W·k` modulo `W·n` split the parent's class `w`
  modulo `W` into disjoint parts, so the forks never share a value, and
  nested splits (`split(Enum.at(split(gen, 2), 1), 3)`) or `workers:` options
  compose the same way: every leaf derived from one original leaf owns its
  own class. `W` may grow to at most 2^32 (an `ArgumentError` beyond).

  So for trees with such leaves, `split(gen, n)` is no longer
  `[fork(gen, 0), ..., fork(gen, n - 1)]`: those forks would repeat each
  other's values. For every other tree it is exactly that list.

  `n` is at most 65,536 (2^16): the list is built at once, one generator per
  worker, and nested splits multiply up to the 2^32 above. A larger `n` is
  an `ArgumentError`; for streams beyond that, `fork(gen, worker_key)` each
  worker's own as it needs it.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random([:read, :write], seed: 7)
      iex> G.split(gen, 3) == [G.fork(gen, 0), G.fork(gen, 1), G.fork(gen, 2)]
      true
      iex> G.zip([G.cycle([:write]), G.counter(1)]) |> G.split(2) |> Enum.map(&Enum.take(&1, 3))
      [[write: 1, write: 3, write: 5], [write: 2, write: 4, write: 6]]
      iex> [_, w1] = G.split(G.counter(0), 2)
      iex> w1 |> G.split(2) |> Enum.map(&Enum.take(&1, 3))
      [[1, 5, 9], [3, 7, 11]]

  """
  @spec split(t(), non_neg_integer()) :: [t()]
  defdelegate split(gen, n), to: Build

  @doc """
  Independent keys (as Jepsen's `jepsen.independent`): a workload spread
  over many keys, so that each key's sub-history is short enough for a
  linearizability checker on its own
  (`Lockstep.Generator.Independent.subhistories/1` splits a history back).

  Ops are `%Lockstep.Generator.Keyed{key: k, op: op}`; key `k`'s ops are
  those of `fork(template, k)`, from the template's position. Options:

    * `keys:` a non-empty list or range of distinct keys, or `:infinity`
      (default: `0, 1, 2, …`); when a list runs out, the workers are done.
      A range of non-negative integers is never listed (any number of
      keys); a list is sent to the engine with every call, so keep it to
      thousands;
    * `per_key:` ops on each key in total, over all the workers that share
      it (default 20; at most the template's length);
    * `concurrency:` workers per key (default 1);
    * `final:` ops each worker of a key issues after its share (for example
      `[:read]`; default `[]`);
    * `seed:` the template's seed, if given (seed the template itself).

  Without `split/2` one worker takes every key in order: the `per_key` ops
  of key 0, its `final` ops, then key 1, …. `split(gen, w)` (`w` a positive
  multiple of `concurrency` `c`; otherwise an `ArgumentError` naming both)
  puts the workers in `G = w / c` groups of `c`: worker `i` is member
  `rem(i, c)` of group `div(i, c)`; group `g` works on the keys at
  positions `g, g + G, …` one after the other; member `j` takes the ops at
  positions `j, j + c, …` below `per_key` of each key, then the `final`
  ops. Every key's ops number exactly `per_key + c · length(final)`.

  Op `i` of a worker is arithmetic on `i` and one op of a forked template,
  so `drop/2` is O(1) and the engine runs it (docs/STREAM.md, "Independent
  keys"). The template must be one the engine runs natively: seeded leaves,
  workloads, and mixes, concats, zips and takes of them; a template with a
  `map/2`, `filter/3` or `select/2` is an `ArgumentError`. `only_keys/2`
  restricts a workload to some keys; `shrink/3` removes whole keys first.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> alias Lockstep.Generator.{Keyed, Workloads}
      iex> gen = G.independent(Workloads.register(seed: 1), keys: [:a, :b], per_key: 2)
      iex> Enum.map(gen, & &1.key)
      [:a, :a, :b, :b]
      iex> [w0, w1] = G.split(gen, 2)
      iex> {Enum.count(w0), Enum.count(w1)}
      {2, 2}
      iex> %Keyed{key: :b} = hd(Enum.to_list(w1))
      iex> G.split(G.independent(G.counter(0), concurrency: 3), 4)
      ** (ArgumentError) split/2 of an independent workload expects the workers (4) to be a positive multiple of its concurrency (3)

  """
  @spec independent(t(), keyword()) :: t()
  defdelegate independent(template, opts \\ []), to: Build

  @doc """
  The ops of an independent workload's worker (`independent/2`, `split/2`)
  on those of its keys that are in `keys`, from its first op: its other
  keys' ops are not computed. The ops on each kept key are the same as in
  the whole workload.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.independent(G.random([:x, :y], seed: 3), keys: 0..9, per_key: 3)
      iex> only = G.only_keys(gen, [7, 2])
      iex> Enum.to_list(only) == Enum.filter(gen, &(&1.key in [2, 7]))
      true

  """
  @spec only_keys(t(), [term()]) :: t()
  defdelegate only_keys(gen, keys), to: Build

  @doc """
  Skips `n` ops: the same as calling `next/1` `n` times (stopping at `:done`),
  without producing them. O(1) for seeded generators (random, weighted, cycle,
  integers, zipf, counter, workload leaves), so replaying a failed run from op
  k costs nothing; O(children) for round-robin mixes, concats, zips and maps.
  Filters and `strategy: :random` mixes depend on their ops, so they step op by
  op: O(n). Respects `take/2` and mix exhaustion.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random([:a, :b, :c, :d], seed: 42)
      iex> Enum.take(G.drop(gen, 3), 2) == Enum.slice(Enum.take(gen, 5), 3, 2)
      true
      iex> G.drop(gen, 1_000_000_000_000) |> inspect()
      "#Lockstep.Generator<random seed: 42 at: 1000000000000 remaining: infinity>"
      iex> G.cycle([:x]) |> G.take(5) |> G.drop(10) |> G.next()
      :done

  """
  @spec drop(t(), non_neg_integer()) :: t()
  defdelegate drop(gen, n), to: Build

  @doc """
  The same generator at the same position, without the ops `next/1` has
  prefetched: call it before sending a generator to another process or
  node, storing it, or holding many of them.

  `next/1` asks the engine for ops in batches (up to 1,024 per call) and
  keeps the ones not yet returned inside the value, so a generator that has
  been pulled from is 10-90 times the size of a fresh one (measured, external
  size: a random leaf 0.3 KiB fresh, 11.1 KiB after 65 `next/1`; a
  list-append workload 0.5 and 43.9 KiB). `compact/1` drops them (and any
  buffer inside its children), keeping the exact position: the result gives
  the same ops as `gen` and is the size of a fresh generator of the same
  shape, plus the digits of its position. The next `next/1` on it refills.
  `fork/2` and `split/2` return compact generators already.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random([:a, :b, :c], seed: 1)
      iex> pulled = Enum.reduce(1..65, gen, fn _, g -> elem(G.next(g), 1) end)
      iex> :erlang.external_size(G.compact(pulled)) < :erlang.external_size(pulled) / 4
      true
      iex> Enum.take(G.compact(pulled), 5) == Enum.take(pulled, 5)
      true

  """
  @spec compact(t()) :: t()
  defdelegate compact(gen), to: Compact

  @doc """
  Pull the next op. Returns `{op, new_gen}`, or `:done` when the generator
  has no more ops, which happens when:

    * its `take/2` cap is used up (`remaining` is 0), whatever it wraps;
    * a `mix/2` is done: with `until: :any` (the default) when the child it
      asks (whose turn it is, or the one drawn) answers `:done`, so
      `mix([take(a, 2), b])` gives `a, b, a, b`; with `until: :all` when
      every child is exhausted;
    * a `concat/1` has run its last child to exhaustion;
    * a `zip/1` has an exhausted child;
    * a `map/2` or `filter/3` has an exhausted child.

  Leaves (`random/2`, `cycle/1`, `weighted/2`, `integers/2`, `zipf/2`,
  `counter/1`, the workloads) never end on their own: without a `take/2`
  somewhere, `next/1` always returns an op. (A filter that rejects
  `:max_rejections` ops in a row raises instead of returning.)

  `next/1` is pure: the same generator value always gives the same result.

  ## Examples

      iex> gen = Lockstep.Generator.take(Lockstep.Generator.cycle([:read, :write]), 2)
      iex> {:read, gen} = Lockstep.Generator.next(gen)
      iex> {:write, gen} = Lockstep.Generator.next(gen)
      iex> Lockstep.Generator.next(gen)
      :done

  """
  @spec next(t()) :: {any(), t()} | :done
  # The hot path first: a buffered op popped here (one map match and one
  # update per op); the rest is Lockstep.Generator.Driver's.
  Buffer.pop_clauses(:next)

  def next(%__MODULE__{remaining: 0}), do: :done

  # A malformed value (Lockstep.Generator.Malformed) fails somewhere below:
  # only then is it looked at, and named in an ArgumentError.
  def next(%__MODULE__{} = gen) do
    Driver.next_refill(gen)
  rescue
    e -> Malformed.reraise(gen, "next/1", e, __STACKTRACE__)
  end

  def next(other), do: raise(ArgumentError, "next/1 expects a generator, got: #{inspect(other)}")

  @doc """
  Iterate `gen` to exhaustion, calling `fun.(op)` for each op.
  Returns the count of ops produced.

  Ops are produced in chunks by one engine call each, so `each/2` costs little
  more than `Enum.each/2` over a ready list. On a generator that never ends
  (no `take/2`), `each/2` never returns.

  ## Examples

      iex> gen = Lockstep.Generator.random([:read, :write], seed: 1) |> Lockstep.Generator.take(100)
      iex> Lockstep.Generator.each(gen, fn op -> send(self(), op) end)
      100

  """
  @spec each(t(), (any() -> any())) :: non_neg_integer()
  def each(%__MODULE__{} = gen, fun) when is_function(fun, 1) do
    Driver.each(gen, fun)
  rescue
    e -> Malformed.reraise(gen, "each/2", e, __STACKTRACE__)
  end

  def each(gen, fun), do: bad_fold!("each/2", gen, fun, 1)

  @doc """
  Reduce over `gen`'s ops to exhaustion. `fun.(op, acc)` returns the new acc.
  Useful for accumulating results without an external side effect.

  ## Examples

      iex> Lockstep.Generator.weighted([{:read, 1}, {:write, 1}], seed: 3)
      ...> |> Lockstep.Generator.take(1000)
      ...> |> Lockstep.Generator.reduce(%{}, fn op, acc -> Map.update(acc, op, 1, &(&1 + 1)) end)
      %{read: 512, write: 488}

  """
  @spec reduce(t(), acc, (any(), acc -> acc)) :: acc when acc: any()
  def reduce(%__MODULE__{} = gen, acc, fun) when is_function(fun, 2) do
    Driver.reduce(gen, acc, fun)
  rescue
    e -> Malformed.reraise(gen, "reduce/3", e, __STACKTRACE__)
  end

  def reduce(gen, _acc, fun), do: bad_fold!("reduce/3", gen, fun, 2)

  defp bad_fold!(name, %__MODULE__{}, fun, arity) do
    raise ArgumentError, "#{name} expects a function of arity #{arity}, got: #{inspect(fun)}"
  end

  defp bad_fold!(name, gen, _fun, _arity) do
    raise ArgumentError, "#{name} expects a generator, got: #{inspect(gen)}"
  end

  # --- Selections and shrinking (Lockstep.Generator.Select, .Shrink) ---

  @doc """
  The ops of `gen` at op positions `indices` (0-based, counted from `gen`'s
  current position), in order, as a generator.

  `indices` is a strictly increasing list of non-negative integers. Op `i` of
  a seeded generator does not depend on the ops around it, so a selection
  gives exactly the ops `gen` gives at those positions: `Enum.at(select(gen,
  [i]), 0) == Enum.at(drop(gen, i), 0)`. Positions past the end of `gen` are
  never reached (the selection ends there).

  A selection is plain data like any generator: `kind: :select`, `children:
  [gen]`; it works with `next/1`, `each/2`, `reduce/3`, `Enum`, `drop/2`,
  `take/2`, `fork/2` (which forks `gen`) and `:erlang.term_to_binary/1`, and
  `inspect/1` shows the `indices` and the generator to pass to rebuild it.
  Each op costs a `drop/2` and a `next/1` of `gen`: O(1) for seeded leaves.
  `gen` computes only the ops selected (a run of consecutive indices in one
  call), never a prefetched buffer the next gap would skip. Selections
  nest like maps and mixes, at most 64 levels (`ArgumentError` beyond).
  `shrink/3` returns selections.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 42)
      iex> sel = G.select(gen, [3, 17, 42])
      iex> Enum.to_list(sel) == Enum.map([3, 17, 42], &Enum.at(G.drop(gen, &1), 0))
      true
      iex> inspect(sel)
      "#Lockstep.Generator<select indices: [3, 17, 42] of: #Lockstep.Generator<random seed: 42 at: 0 remaining: infinity>>"
      iex> {_op, sel} = G.next(sel)
      iex> inspect(sel)
      "#Lockstep.Generator<select indices: [13, 38] of: #Lockstep.Generator<random seed: 42 at: 4 remaining: infinity>>"

  """
  @spec select(t(), [non_neg_integer()]) :: t()
  defdelegate select(gen, indices), to: Build

  @doc """
  Shrinks a failing workload to the ops that matter.

  `gens` is one finite generator or a list of them (one per worker).
  `fails?` is called with a candidate workload in the same shape and
  returns true while the failure still happens; it must be true for the
  whole input. What it gets, by the `:pass` option:

    * `:ops` (the default) — the candidate's ops: a list of ops, or a list
      of lists of ops, one per worker;
    * `:generators` — the candidate as generators: a generator, or a list
      of them, each a `select/2` of the original (an empty selection when a
      worker has no op left), so the same worker code that runs the real
      workload with `next/1` or `each/2` runs the candidates.

  **`fails?` must be deterministic**: the same candidate, the same answer.
  Shrinking compares answers across hundreds of candidates, so a failure
  that depends on timing (real processes racing) makes it remove ops that
  matter. Run the workers' ops in an order fixed by the ops themselves, or
  by a seed: for example interleave the workers with a schedule drawn from
  a generator of its own,

      schedule = Lockstep.Generator.integers(0..(workers - 1), seed: 1)

  taking the next worker from `schedule` (skipping workers with no op
  left) and running that worker's next op, one op at a time.

  Returns `{:ok, shrunk, info}`: `shrunk` has the shape of `gens`, each
  generator a `select/2` of its original, so it produces a subsequence of the
  original's ops (the same ops, in the same order), and `recipe/1`
  writes the source that rebuilds it. The result is 1-minimal: removing
  any one of its ops makes `fails?` false. The search is deterministic and
  costs about `r · log2(n)` calls of `fails?` for r ops kept out of n
  (chunk removal with halving, in each worker and at the same positions in
  all workers at once, then single ops until nothing more can go).

  The result is checked once more at the end. Two outcomes are not a
  shrunk failure, and are returned as errors, with the same `info`:

    * `{:error, :flaky, info}` — `fails?` was false on the result it had
      found failing: it is not deterministic (see above);
    * `{:error, :fails_without_ops, info}` — `fails?` is true with no op
      at all: the failure does not depend on the workload.

  `info` is a `Lockstep.Generator.ShrinkInfo`: `:calls` (calls of
  `fails?`, the first check and the re-check included), `:ops_before`,
  `:ops_after` (op counts, all workers), `:worker_ops_before`,
  `:worker_ops_after` (one count per generator), `:stopped_early` (true
  when `:max_calls` ended the search: `shrunk` is the smallest failing
  workload found so far, not necessarily 1-minimal) and `:rechecked`.

  Options:

    * `:pass` — `:ops` (default) or `:generators`, as above.
    * `:max_calls` — at most this many calls of `fails?` (default `:infinity`).
    * `:max_ops` — at most this many ops per generator (default 1,000,000).

  Each generator is run once; one whose length is not known ahead (a filter,
  a random mix that ends with a child) is run for at most `:max_ops + 1` ops.
  Raises `ArgumentError` naming the problem when `gens` is not a generator or
  a non-empty list of them, when a generator is infinite (no `take/2` bound)
  or longer than `:max_ops`, when `fails?` is false for the input, and for bad
  options. Exceptions raised by `fails?` propagate. `check/3` runs it for
  you inside ExUnit.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random([:read, {:write, 1}, {:write, 2}], seed: 42) |> G.take(100)
      iex> fails? = fn ops -> Enum.count(ops, &(&1 == :read)) >= 3 end
      iex> {:ok, shrunk, info} = G.shrink(gen, fails?)
      iex> Enum.to_list(shrunk)
      [:read, :read, :read]
      iex> {info.ops_before, info.ops_after}
      {100, 3}
      iex> shrunk
      #Lockstep.Generator<select indices: [96, 97, 99] of: #Lockstep.Generator<random seed: 42 at: 0 remaining: 100>>
      iex> {:ok, ^shrunk, _info} = G.shrink(gen, &fails?.(Enum.to_list(&1)), pass: :generators)
      iex> G.shrink(gen, fn _ops -> true end)
      {:error, :fails_without_ops,
       %Lockstep.Generator.ShrinkInfo{calls: 3, ops_before: 100, ops_after: 0,
        worker_ops_before: [100], worker_ops_after: [0], stopped_early: false, rechecked: true}}

  """
  @spec shrink(t() | [t()], (term() -> as_boolean(term())), keyword()) ::
          {:ok, t() | [t()], Lockstep.Generator.ShrinkInfo.t()}
          | {:error, :flaky | :fails_without_ops, Lockstep.Generator.ShrinkInfo.t()}
  def shrink(gens, fails?, opts \\ []), do: Shrink.shrink(gens, fails?, opts)

  # --- end of selections and shrinking ---

  # --- Recipes, replay files, check (Lockstep.Generator.Recipe, .Saved, .Check) ---

  @doc """
  Elixir source that rebuilds `gen_or_gens` (a generator or a list of them)
  exactly: evaluated in any VM with this package loaded, it gives
  generators with the same ops from the same position.

  The recipe is a chain of the public constructors and combinators with
  every option that changes the stream written out: seeds, pools, weights,
  workload options (`mix: :swarm` rebuilds the same swarm choices from the
  seed), fork keys, splits, `drop/2` to the current position, `take/2` for
  what is left, and `select/2` for shrunk workloads. A composite captured
  mid-stream ends with `Lockstep.Generator.Recipe.resume/2` (which child,
  or which draw, comes next).

  `map/2` and `filter/3` functions are written as named captures
  (`&MyMod.to_op/1`); an anonymous function has no source, and makes
  `recipe/1` raise an `ArgumentError` that names it. So do ops, seeds or
  fork keys holding pids, references, ports or functions.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> gen = G.random([:read, {:write, 1}], seed: 42) |> G.fork(:w1) |> G.drop(5) |> G.take(10)
      iex> G.recipe(gen) |> String.split("\\n")
      ["alias Lockstep.Generator, as: G", "alias Lockstep.Generator.Workloads", "",
       "G.random([:read, {:write, 1}], seed: 42) |> G.fork(:w1) |> G.drop(5) |> G.take(10)"]
      iex> {rebuilt, _binding} = Code.eval_string(G.recipe(gen))
      iex> Enum.to_list(rebuilt) == Enum.to_list(gen)
      true

  """
  @spec recipe(t() | [t()]) :: String.t()
  def recipe(gen_or_gens), do: Lockstep.Generator.Recipe.recipe(gen_or_gens)

  @doc """
  Saves `gen_or_gens` (a generator or a list of them, one per worker) to
  the file `path`, to be read back by `load/1` in any VM with this package,
  or printed with `mix lockstep.gen --load PATH`.

  The file holds how to build the generators, as `recipe/1` writes it
  (constructors, options, fork keys, positions, selections), not their ops:
  a shrunk workload of a million-op run is a few hundred bytes. It is
  versioned: a later release reads it, or says it cannot. Raises like
  `recipe/1` for generators it cannot describe (anonymous `map/2` or
  `filter/3` functions); returns `{:error, reason}` when the file cannot be
  written.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> path = Path.join(System.tmp_dir!(), "lockstep_doc_save.bin")
      iex> gens = G.split(G.random([:read, :write], seed: 7), 2) |> Enum.map(&G.take(&1, 5))
      iex> G.save(gens, path)
      :ok
      iex> {:ok, loaded} = G.load(path)
      iex> Enum.map(loaded, &Enum.to_list/1) == Enum.map(gens, &Enum.to_list/1)
      true

  """
  @spec save(t() | [t()], Path.t()) :: :ok | {:error, String.t()}
  def save(gen_or_gens, path), do: Lockstep.Generator.Saved.save(gen_or_gens, path)

  @doc """
  Reads a file written by `save/2`: `{:ok, gen_or_gens}` (what was saved, a
  generator or a list), or `{:error, reason}` (a sentence) for a missing,
  truncated, damaged or foreign file, a file from a newer release, or one
  naming a `map/2`/`filter/3` function that is not defined here.

  The contents are decoded with `:erlang.binary_to_term(bin, [:safe])` and
  built with the public constructors, which check every argument: loading
  runs no code from the file. It creates the atoms the saved ops use (at
  most 100,000, listed in the file).

  ## Examples

      iex> Lockstep.Generator.load("/no/such/file")
      {:error, "cannot read /no/such/file: no such file or directory"}

  """
  @spec load(Path.t()) :: {:ok, t() | [t()]} | {:error, String.t()}
  def load(path), do: Lockstep.Generator.Saved.load(path)

  @doc """
  Runs a workload over many seeds inside an ExUnit test; on the first
  failure, shrinks it and fails the test with everything needed to see
  and replay it. Like StreamData's `check all`, but shrinking removes ops
  and leaves every other op unchanged (op `i` depends only on
  `(seed, stream, i)`).

    * `build.(seed)` returns the workload for a seed: a finite generator,
      or a list of them (one per worker), typically
      `Workloads.register(seed: seed) |> take(100) |> split(3)`.
    * `run.(gens)` runs it against the system under test. It fails by
      raising (ExUnit assertions) or by returning `false` or
      `{:error, reason}`; anything else passes. Like `shrink/3`'s
      `fails?` it gets generators (drive them with `next/1`, `each/2`, …)
      and **must be deterministic**: order the workers' ops by a seeded
      schedule, not by timing (see `shrink/3`).

  Options:

    * `:iterations` — how many seeds (default 100);
    * `:seed` — the seed the iterations' seeds are drawn from (any term;
      iteration `i` (from 1) is given op `i - 1` of
      `integers(0..2^64 - 1, seed: seed)`).
      Default, or `nil`: ExUnit's `--seed` when ExUnit runs, else a drawn
      one; printed on failure either way;
    * `:save` — a directory: the shrunk workload is also saved there
      (`save/2`), and the message gives the file and the
      `mix lockstep.gen --load` line that prints it;
    * `:max_calls`, `:max_ops` — passed to `shrink/3`.

  On the first failing iteration it runs `shrink(gens, fails?, pass:
  :generators)`, where a candidate fails when `run` fails on it the same
  way (the same exception module, or `false`, or an error tuple), and
  raises `ExUnit.AssertionError` whose message holds the seed and the
  iteration, the sizes before and after, the shrunk ops of each worker
  with their positions in its stream, the failure's own message on the
  shrunk workload, and its `recipe/1`. When the failure cannot be shrunk
  (`run` not deterministic, or failing with no op) the message says so.
  Returns `:ok` when every iteration passes.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> build = fn seed -> G.random([:read, :write], seed: seed) |> G.take(20) |> G.split(2) end
      iex> G.check(build, fn gens -> Enum.all?(gens, &(Enum.count(&1) == 20)) end, seed: 1)
      :ok
      iex> run = fn gens -> gens |> Enum.concat() |> Enum.count(&(&1 == :write)) < 3 end
      iex> error = assert_raise ExUnit.AssertionError, fn -> G.check(build, run, seed: 1) end
      iex> error.message =~ "shrunk: 40 ops -> 3 ops"
      true

  """
  @spec check((term() -> t() | [t()]), (t() | [t()] -> term()), keyword()) :: :ok
  def check(build, run, opts \\ []), do: Lockstep.Generator.Check.check(build, run, opts)

  @doc """
  How often each kind of op comes in the first `n` ops of `gen`: a map from
  `Lockstep.Generator.Op.f/1` of the op to its count (fewer than `n` ops in
  all when `gen` ends first). Pure, like `reduce/3`: it does not advance
  `gen`. `mix lockstep.gen --stats` draws the same counts as a histogram.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.weighted([read: 3, write: 1], seed: 7) |> G.stats(1000)
      %{read: 740, write: 260}
      iex> G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 42) |> G.stats(8)
      %{cas: 3, read: 2, write: 3}

  """
  @spec stats(t(), non_neg_integer()) :: %{optional(term()) => pos_integer()}
  def stats(gen, n), do: Lockstep.Generator.Stats.stats(gen, n)

  @doc false
  # Op index of the next op of a seeded leaf.
  def __position__(gen), do: Node.position(gen)

  # The combinators defined each in a file of lib/lockstep/generator/
  # combinators/ (their @doc, @spec and function come from there).
  use Lockstep.Generator.Combinators
end
