defmodule Lockstep.Generator.Spec do
  @moduledoc false
  # How a generator tree is described to the engine: a plain term built
  # from the struct (the format is in native/lockstep_nif/src/spec.rs), and
  # the leaves' pools, depth-first. Supplied children (Lockstep.Generator.
  # Supply) appear as cycles over the ops pulled ahead of them.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Node, Params, Supply, Tree, Unique}
  alias Lockstep.Generator.Settings.Composite

  import Bitwise
  require Tree

  @max_u64 (1 <<< 64) - 1
  @pick_kinds Tree.pick_kinds()

  @doc false
  # The engine's view of a tree and its leaves' pools, depth-first.
  @spec tree(G.t()) :: {tuple(), [tuple()]}
  def tree(gen), do: spec(gen, [])

  @doc false
  # A value leaf's spec for `k` ops from op `pos` (no pools: its pool is
  # its own).
  @spec value_leaf(G.t(), non_neg_integer(), non_neg_integer()) :: tuple()
  def value_leaf(%G{engine: e}, pos, k), do: value_node(e.params, e, pos, k)

  @doc false
  # An independent workload's spec for `k` ops from op `pos`, and its pools:
  # the template's, the key terms, the final ops.
  @spec independent(G.t(), non_neg_integer(), non_neg_integer() | :infinity) ::
          {tuple(), [tuple()]}
  def independent(%G{engine: e}, pos, k), do: independent_spec(e, pos, k, [])

  defp independent_spec(e, pos, k, tail) do
    {template, pools} = spec(e.template, [e.key_pool, e.final_pool | tail])
    layout = {e.per_key, e.lanes, length(e.final), e.groups, e.group, e.member}
    {{:independent, template, e.fork_keys, layout, pos &&& @max_u64, remaining(k)}, pools}
  end

  # (Leaves read their fields in one match: a tree's spec is made on every
  # refill of a small tree.)
  defp spec(%G{kind: kind, pos: pos, buf: buf, remaining: r} = gen, tail)
       when kind in @pick_kinds do
    %{pool: pool, key: key, stream: stream} = gen.engine
    n = tuple_size(pool)

    {{:leaf, leaf_kind(gen), n, key, stream, wire(kind, n, pos - length(buf)), remaining(r)},
     [pool | tail]}
  end

  defp spec(%G{kind: :independent, remaining: r, engine: e} = gen, tail),
    do: independent_spec(e, Node.position(gen), r, tail)

  defp spec(%G{children: nil, pos: pos, buf: buf, remaining: r, engine: e}, tail) do
    {value_node(e.params, e, pos - length(buf), remaining(r)), [e.pool | tail]}
  end

  # A map child of a lifted mix: the tree under it, within the map's own
  # budget.
  defp spec(%G{kind: :map, children: [child], remaining: :infinity}, pools),
    do: spec(child, pools)

  defp spec(%G{kind: :map, children: [child], remaining: r}, pools),
    do: spec(Node.take(child, r), pools)

  # A combinator of its own file (Lockstep.Generator.Combinators): its
  # kind, the parameters of its rule, its budget, its children.
  defp spec(%G{engine: %Composite{strategy: %mod{} = settings}} = gen, pools) do
    {specs, pools} = child_specs(gen, pools)
    {{:combinator, gen.kind, mod.params(settings), remaining(gen.remaining), specs}, pools}
  end

  defp spec(%G{kind: :zip} = gen, pools) do
    {specs, pools} = child_specs(gen, pools)
    {{:zip, remaining(gen.remaining), specs}, pools}
  end

  defp spec(%G{engine: e} = gen, pools) do
    {specs, pools} = child_specs(gen, pools)

    strategy =
      case e.strategy do
        :random -> {:random, mix_picker(gen), e.key, e.stream, e.rpos &&& @max_u64}
        other -> other
      end

    {{:mix, e.until, gen.next_child || 0, remaining(gen.remaining), specs, strategy}, pools}
  end

  # A composite's children: their trees, and for supplied children (see
  # Tree.supplied?/1) a cycle over the ops pulled ahead (the last one
  # never served unless pulling past them raised, which Supply.ok?/2 sees).
  # `spec(gen, tail)` gives the pools of `gen` in front of `tail`: children
  # are described last first, so the pools come out depth-first.
  defp child_specs(%G{children: cs, engine: %{ahead: [_ | _] = ahead}}, tail),
    do: supplied_specs(cs, ahead, tail)

  defp child_specs(%G{children: cs}, tail), do: specs(cs, tail)

  defp specs([child | rest], tail) do
    {specs, tail} = specs(rest, tail)
    {spec, pools} = spec(child, tail)
    {[spec | specs], pools}
  end

  defp specs([], tail), do: {[], tail}

  defp supplied_specs([child | rest], [entry | entries], tail) do
    {specs, tail} = supplied_specs(rest, entries, tail)
    {spec, pools} = supplied_spec(child, entry, tail)
    {[spec | specs], pools}
  end

  defp supplied_specs([], [], tail), do: {[], tail}

  defp supplied_spec(child, nil, tail), do: spec(child, tail)

  defp supplied_spec(_child, entry, tail) do
    {spec, pool} = Supply.leaf(entry)
    {spec, [pool | tail]}
  end

  # A pick leaf's kind in a spec: a weighted leaf's is its table.
  defp leaf_kind(%G{kind: :weighted} = gen), do: table(gen)
  defp leaf_kind(%G{kind: kind}), do: kind

  @doc false
  # A weighted leaf's table for the engine: its weights when short, else its
  # table resource.
  def table(%G{kind: :weighted, weights: w, engine: %{table: nil}}), do: w
  def table(%G{kind: :weighted, engine: %{table: table}}), do: table

  def table(_gen), do: nil

  defp mix_picker(%G{weights: nil}), do: :uniform
  defp mix_picker(gen), do: mix_table(gen)

  @doc false
  # A weighted random mix's table for the engine (as `table/1`).
  def mix_table(%G{weights: nil}), do: nil
  def mix_table(%G{weights: w, engine: %{table: nil}}), do: w
  def mix_table(%G{engine: %{table: table}}), do: table

  @doc false
  # Op indices as the engine takes them: modulo 2^64 (op 2^64 + i is op i;
  # see docs/STREAM.md), a cycle's phase.
  def wire(:cycle, n, pos), do: rem(pos, n)
  def wire(_kind, _n, pos), do: pos &&& @max_u64

  # A value leaf's node for `k` ops (or its remaining) from op `pos`. A
  # counter's offset past 2^64 (times its workers) is folded into its
  # start; other params go as they are (no tuple made for them: a fresh
  # workload's first call comes this way).
  defp value_node(%Params.Counter{} = params, e, pos, k) do
    {params, wpos} = Unique.wire(params, pos)
    {:value, params, e.key, e.stream, wpos, k}
  end

  defp value_node(params, e, pos, k), do: {:value, params, e.key, e.stream, pos &&& @max_u64, k}

  # Budgets past 2^64 - 1 ops can never run out; the engine counts in u64.
  defp remaining(n) when is_integer(n) and n > @max_u64, do: :infinity
  defp remaining(n), do: n
end
