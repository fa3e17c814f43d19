defmodule Lockstep.Generator.Unique do
  @moduledoc false
  # Leaves whose values must be unique (counter, list_append), and how
  # split/2 keeps them unique across workers.
  #
  # Each such leaf carries (W, w), workers and worker, 0 <= w < W:
  #
  #   * counter:     op i is `start + i·W + w`;
  #   * list_append: micro-op j of op i appends `(i·L + j)·W + w + 1`.
  #
  # So every value of the leaf, minus its constant (start, or 1), lies in the
  # residue class C(W, w) = {x : x ≡ w (mod W)}, and within one leaf the
  # values are distinct (distinct i, or (i, j) with j < L).
  #
  # split(gen, n) gives fork k (0 <= k < n) the leaf (W·n, w + W·k). Proof
  # that the forks' values are disjoint: 0 <= w + W·k < W·n, and
  # C(W·n, w + W·k) for k = 0..n-1 are exactly the n classes modulo W·n
  # that make up C(W, w) (x ≡ w + W·k (mod W·n) implies x ≡ w (mod W), and
  # every x ≡ w (mod W) has one such k), so they partition C(W, w): pairwise
  # disjoint, and inside the parent's class. By induction over nested
  # splits, the leaves derived from one original leaf through any tree of
  # splits own pairwise disjoint classes (two leaves from different
  # branches of some split lie inside disjoint classes of that split), so no
  # value is ever shared. fork/2 alone keeps (W, w): its forks give the same
  # values. W is at most 2^32 (values of 2^64 ops stay inside the engine's
  # i128); a split that would pass it raises.
  #
  # Counters at any position. The engine holds a counter's start in i128,
  # |start| <= 2^126 - 1 (kinds.rs, INT_LIMIT), and takes op indices modulo
  # 2^64; Elixir sends `start + (pos - pos mod 2^64)·W` with the index
  # `pos mod 2^64`. When that start does not fit (a counter far along, or
  # with a start past ±2^126), the counter is computed here, in Elixir
  # (op i = start + i·W + w, bignums): `engine?/1` is false, so the engine
  # tree containing it is run by Lockstep.Generator.Driver op by op (same ops,
  # slower), and the leaf's chunks (next/1's buffer, each/2, reduce/3,
  # Enum) come from `ops/3` through Lockstep.Generator.Boundary.leaf_ops/3.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Node, Params}

  import Bitwise

  @max_u64 (1 <<< 64) - 1
  @max_workers 1 <<< 32
  # The engine's INT_LIMIT.
  @int_limit (1 <<< 126) - 1

  @doc false
  def max_workers, do: @max_workers

  @doc false
  # split/2's change to fork k of n: (W, w) -> (W·n, w + W·k) in every
  # counter and list_append leaf of the tree.
  @spec spread(G.t(), pos_integer(), non_neg_integer()) :: G.t()
  def spread(%G{children: nil, engine: %{params: params}} = gen, n, k) do
    case spread_params(params, n, k) do
      ^params ->
        gen

      params ->
        %{gen | buf: [], pos: Node.position(gen), engine: %{gen.engine | params: params}}
    end
  end

  def spread(%G{children: [_ | _] = children} = gen, n, k),
    do: Node.with_children(gen, Enum.map(children, &spread(&1, n, k)))

  def spread(gen, _n, _k), do: gen

  defp spread_params(%kind{workers: ws, worker: w} = params, n, k)
       when kind in [Params.Counter, Params.ListAppend],
       do: %{params | workers: workers!(ws * n), worker: w + ws * k}

  defp spread_params(params, _n, _k), do: params

  defp workers!(ws) when ws <= @max_workers, do: ws

  defp workers!(ws) do
    raise ArgumentError,
          "split/2: counter and list_append leaves count for at most 2^32 workers in all " <>
            "(nested splits multiply), this split would make #{ws}"
  end

  @doc false
  # A counter's params and op index as the engine takes them (the index
  # modulo 2^64, the rest folded into the start).
  def wire(%Params.Counter{start: start, workers: ws} = params, pos) do
    low = pos &&& @max_u64
    {%{params | start: start + (pos - low) * ws}, low}
  end

  @doc false
  # True when the engine can hold the counter at its current position.
  @spec engine?(G.t()) :: boolean()
  def engine?(%G{engine: %{params: params}} = gen) do
    {%Params.Counter{start: start}, _low} = wire(params, Node.position(gen))
    abs(start) <= @int_limit
  end

  @doc false
  # Ops pos .. pos + k - 1 of a counter.
  @spec ops(G.t(), non_neg_integer(), non_neg_integer()) :: [integer()]
  def ops(%G{engine: %{params: %Params.Counter{start: start, workers: ws, worker: w}}}, pos, k),
    do: for(i <- pos..(pos + k - 1)//1, do: start + i * ws + w)
end
