defmodule Lockstep.Generator.Lift do
  @moduledoc false
  # The maps of a "lifted" tree (Lockstep.Generator.Tree.lifted?/1): a
  # mix, concat or zip whose children are engine trees or maps over them.
  # The engine runs the trees under the maps; the maps' functions are
  # applied here to the ops their children served, a refill at a time.

  alias Lockstep.Generator, as: G

  @type t :: {:zip, [(term() -> term()) | nil]} | {:tags, tuple()} | nil

  @doc false
  # How a lifted tree's ops get its maps' functions: a zip's element j by
  # child j's (`{:zip, funs}`), a mix's or concat's op by the function of
  # the child that served it, from the engine's tags (`{:tags, funs}`);
  # nil for a native or supplied tree (the mode says which, from one walk).
  @spec of(G.t(), :native | :lifted | :supplied) :: t()
  def of(%G{kind: :zip} = gen, :lifted), do: {:zip, Enum.map(gen.children, &chain_fun/1)}
  def of(gen, :lifted), do: {:tags, List.to_tuple(Enum.map(gen.children, &chain_fun/1))}
  def of(_gen, _mode), do: nil

  @doc false
  # The ops of a refill with the maps' functions applied (`tags`: which
  # child served each op, for `{:tags, funs}`, else `[]`), or where a
  # function raised: `{:raised, j, error}` for op j.
  @spec apply_safe([term()], t(), [non_neg_integer()]) ::
          {:ok, [term()]} | {:raised, non_neg_integer(), {atom(), term(), list()}}
  def apply_safe(ops, lift, tags) do
    {:ok, apply_lift(ops, lift, tags)}
  catch
    _kind, _reason ->
      # (A function that raised on the list and on none of its ops alone is
      # not pure: let it raise as it does.)
      first_raise(ops, lift, tags, 0) || {:ok, apply_lift(ops, lift, tags)}
  end

  defp first_raise([], _lift, _tags, _j), do: nil

  defp first_raise([op | ops], lift, tags, j) do
    {tag, tags} =
      case tags do
        [t | tags] -> {[t], tags}
        [] -> {[], []}
      end

    apply_lift([op], lift, tag)
    first_raise(ops, lift, tags, j + 1)
  catch
    kind, reason -> {:raised, j, {kind, reason, __STACKTRACE__}}
  end

  defp apply_lift(ops, nil, _tags), do: ops

  defp apply_lift(ops, {:zip, funs}, _tags),
    do: Enum.map(ops, &map_elements(&1, funs, 0))

  defp apply_lift(ops, {:tags, funs}, tags), do: map_tagged(ops, tags, funs)

  # A zip's op with element j mapped by child j's function.
  defp map_elements(op, [nil | funs], j), do: map_elements(op, funs, j + 1)

  defp map_elements(op, [fun | funs], j),
    do: map_elements(put_elem(op, j, fun.(elem(op, j))), funs, j + 1)

  defp map_elements(op, [], _j), do: op

  @doc false
  # The op a map's child gave through the map's function: the one place
  # map/2 applies it, wherever the map runs (next/1, folds, supplied
  # children, lifted trees).
  @spec map_op(G.t(), term()) :: term()
  def map_op(map, op), do: fun(map).(op)

  @doc false
  # `map_op/2` over a list of ops, in order (the function read once).
  @spec map_ops(G.t(), [term()]) :: [term()]
  def map_ops(map, ops), do: :lists.map(fun(map), ops)

  # Where a map keeps its function: the one reader of it.
  defp fun(%G{kind: :map, engine: %{fun: fun}}), do: fun

  # The function of a chain of maps (innermost first), nil for no map.
  defp chain_fun(%G{kind: :map, children: [child]} = map) do
    f = fun(map)

    case chain_fun(child) do
      nil -> f
      inner -> &f.(inner.(&1))
    end
  end

  defp chain_fun(_gen), do: nil

  defp map_tagged([op | ops], [t | tags], funs),
    do: [tagged_op(elem(funs, t), op) | map_tagged(ops, tags, funs)]

  defp map_tagged([], [], _funs), do: []

  # An op of a child with no map (nil) or of a chain of maps.
  defp tagged_op(nil, op), do: op
  defp tagged_op(chain, op), do: chain.(op)
end
