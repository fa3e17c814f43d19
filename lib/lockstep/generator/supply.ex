defmodule Lockstep.Generator.Supply do
  @moduledoc false
  # Children supplied to the engine (Lockstep.Generator.Tree.supplied?/1).
  # A mix, concat or zip holding a child the engine cannot run (a filter, a
  # select, a map not over an engine tree, or a composite holding one) is
  # still composed by the engine, the one implementation of what a mix,
  # concat or zip does next and when it is done. Each such child's next ops
  # are pulled here ahead of the engine call and handed to it as a cycle
  # leaf over exactly those ops (`leaf/1`): op i of the leaf is the child's
  # next op i (the pulling itself is the driver's: Lockstep.Generator.
  # Driver, which passes it in). A call of k ops asks a child at most k times (once per op;
  # a combinator's `child_ops/1` times per op),
  # so a supply of k ops, or all the child has left, is never run past. The
  # pulled ops wait in the parent's `engine.ahead` (one entry per child, nil
  # for children the engine runs) until the engine reports how many it took
  # (`take/3`). What pulling raised is kept, and raised by the engine call
  # that reaches it (`ok?/2`, `raise!/2`).

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Tree

  defmodule Entry do
    @moduledoc false
    # What was pulled ahead of one supplied child: `ops`, its next ops after
    # `behind` ops, `left` of them; `tail`, the child after them (nil before
    # the first pull); `done` once the child answered :done after them;
    # `error`, what pulling the next one raised. `behind`: ops the engine
    # took from the child since `children` last held its exact state
    # (written out by materialize/2, so the hot path never walks a child
    # twice). Only two states of the child are kept: one per op would hold
    # nested lookaheads over and over, which `:erlang.term_to_binary/1`
    # would copy out.
    defstruct ops: [], left: 0, tail: nil, done: false, error: nil, behind: 0

    @type t :: %__MODULE__{
            ops: [term()],
            left: non_neg_integer(),
            tail: Lockstep.Generator.t() | nil,
            done: boolean(),
            error: {atom(), term(), list()} | nil,
            behind: non_neg_integer()
          }
  end

  @type entry :: Entry.t()

  @doc false
  # Tops up every supplied child of `gen` to at least k ops ahead (or all it
  # has left); `pull.(child, m)` pulls up to m ops: `{ops, n, child after
  # them, done?, error}` (Lockstep.Generator.Driver).
  @spec supply(G.t(), non_neg_integer(), (G.t(), pos_integer() -> tuple())) :: G.t()
  def supply(%G{children: cs, engine: e} = gen, k, pull) do
    ahead = e.ahead || Enum.map(cs, fn _ -> nil end)
    k = k * child_ops(e.strategy)

    ahead =
      :lists.zipwith(
        fn child, entry ->
          cond do
            Tree.native?(child) -> nil
            entry == nil -> top_up(child, new_entry(), k, pull)
            true -> top_up(child, entry, k, pull)
          end
        end,
        cs,
        ahead
      )

    %{gen | engine: %{e | ahead: ahead}}
  end

  defp new_entry, do: %Entry{}

  # The most ops of a child one op takes: one for a mix, concat or zip; a
  # combinator of its own file says (Lockstep.Generator.Combinators).
  defp child_ops(%mod{} = settings), do: mod.child_ops(settings)
  defp child_ops(_strategy), do: 1

  defp top_up(_child, %{left: left} = entry, k, _pull) when left >= k, do: entry
  defp top_up(_child, %{done: true} = entry, _k, _pull), do: entry
  defp top_up(_child, %{error: {_, _, _}} = entry, _k, _pull), do: entry

  defp top_up(child, %{ops: ops, left: left, tail: tail} = entry, k, pull) do
    {more, n, tail, done, error} = pull.(tail || child, k - left)
    %{entry | ops: ops ++ more, left: left + n, tail: tail, done: done, error: error}
  end

  @doc false
  # False when the engine served a supplied child past its ops (into what
  # pulling raised).
  @spec ok?(G.t(), term()) :: boolean()
  def ok?(%G{engine: %{ahead: ahead}}, %{children: states}) do
    Enum.zip(ahead, states)
    |> Enum.all?(fn
      {%{error: {_, _, _}, left: left}, state} -> produced(state) <= left
      _ -> true
    end)
  end

  def ok?(_gen, _state), do: true

  @doc false
  # A supplied child after the engine took n of its ops: the state kept
  # after the last one pulled when it took them all, else the same child,
  # `behind` n more.
  @spec take(G.t(), non_neg_integer(), entry()) :: {G.t(), entry()}
  def take(child, 0, entry), do: {child, entry}

  def take(_child, n, %{left: n, tail: tail} = entry),
    do: {tail, %{entry | ops: [], left: 0, behind: 0}}

  def take(child, n, %{ops: ops, left: left, behind: behind} = entry),
    do: {child, %{entry | ops: Enum.drop(ops, n), left: left - n, behind: behind + n}}

  @doc false
  # `gen` with its supplied children at their exact states (`drop.(child,
  # n)` moves a child on by n ops).
  @spec materialize(G.t(), (G.t(), non_neg_integer() -> G.t())) :: G.t()
  def materialize(%G{children: cs, engine: %{ahead: [_ | _] = ahead} = e} = gen, drop) do
    {cs, ahead} =
      Enum.zip(cs, ahead)
      |> Enum.map(fn
        {child, %{behind: b} = entry} when b > 0 -> {drop.(child, b), %{entry | behind: 0}}
        pair -> pair
      end)
      |> Enum.unzip()

    %{gen | children: cs, engine: %{e | ahead: ahead}}
  end

  def materialize(gen, _drop), do: gen

  @doc false
  # The engine leaf of an entry, `{spec, pool}`: a cycle over the pulled
  # ops, with one op more when pulling the next raised (the engine serving
  # it is how a call is seen to reach the error).
  @spec leaf(entry()) :: {tuple(), tuple()}
  def leaf(%{ops: ops, left: n, error: error}) do
    pool = if n == 0, do: {nil}, else: List.to_tuple(ops)
    budget = if error == nil, do: n, else: n + 1
    {{:leaf, :cycle, tuple_size(pool), {0, 0}, 0, 0, budget}, pool}
  end

  @doc false
  # Raises what the supplied child could not give, given the engine's
  # state after one op that reached it.
  @spec raise!(G.t(), term()) :: no_return()
  def raise!(%G{engine: %{ahead: ahead}}, %{children: states}) do
    {kind, reason, stack} =
      Enum.zip(ahead, states)
      |> Enum.find_value(fn
        {%{error: error, left: left}, state} when error != nil ->
          if produced(state) > left, do: error

        _ ->
          nil
      end)

    :erlang.raise(kind, reason, stack)
  end

  @doc false
  # Ops an engine state (see Lockstep.Generator.Driver) says a node produced.
  @spec produced(term()) :: non_neg_integer()
  def produced(n) when is_integer(n), do: n
  def produced(%{produced: n}), do: n
end
