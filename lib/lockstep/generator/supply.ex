defmodule Lockstep.Generator.Supply do
  @moduledoc false
  # Children supplied to the engine (Lockstep.Generator.Engine.supplied?/1).
  # A mix, concat or zip holding a child the engine cannot run (a filter, a
  # select, a map not over an engine tree, or a composite holding one) is
  # still composed by the engine, the one implementation of what a mix,
  # concat or zip does next and when it is done. Each such child's next ops
  # are pulled here ahead of the engine call and handed to it as a cycle
  # leaf over exactly those ops (`leaf/1`): op i of the leaf is the child's
  # next op i. A call of k ops asks a child at most k times (once per op),
  # so a supply of k ops, or all the child has left, is never run past. The
  # pulled ops wait in the parent's `engine.ahead` (one entry per child, nil
  # for children the engine runs) until the engine reports how many it took
  # (`take/3`). What pulling raised is kept, and raised by the engine call
  # that reaches it (`ok?/2`, `raise!/2`).

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Engine

  @doc false
  # Tops up every supplied child of `gen` to at least k ops ahead (or all it
  # has left).
  @spec supply(G.t(), non_neg_integer()) :: G.t()
  def supply(%G{children: cs, engine: e} = gen, k) do
    ahead = e.ahead || Enum.map(cs, fn _ -> nil end)

    ahead =
      :lists.zipwith(
        fn child, entry ->
          cond do
            Engine.native?(child) ->
              nil

            entry == nil ->
              top_up(child, new_entry(), k)

            true ->
              top_up(child, entry, k)
          end
        end,
        cs,
        ahead
      )

    %{gen | engine: %{e | ahead: ahead}}
  end

  # An entry: `ops`, the next ops of the child after `behind` ops, `left`
  # of them; `tail`, the child after them (nil before the first pull);
  # `done` once the child answered :done after them; `error`, what pulling
  # the next one raised. `behind`: ops the engine took from the child since
  # `children` last held its exact state (written out by materialize/1, so
  # the hot path never walks a child twice). Only two states of the child
  # are kept: one per op would hold nested lookaheads over and over, which
  # `:erlang.term_to_binary/1` would copy out.
  defp new_entry, do: %{ops: [], left: 0, tail: nil, done: false, error: nil, behind: 0}

  defp top_up(_child, %{left: left} = entry, k) when left >= k, do: entry
  defp top_up(_child, %{done: true} = entry, _k), do: entry
  defp top_up(_child, %{error: {_, _, _}} = entry, _k), do: entry

  defp top_up(child, %{ops: ops, left: left, tail: tail} = entry, k) do
    {more, n, tail, done, error} = pull(tail || child, k - left)
    %{entry | ops: ops ++ more, left: left + n, tail: tail, done: done, error: error}
  end

  # The next (up to) m ops of `gen` and `gen` after them: `{ops, n, gen,
  # done, error}`. A map or filter over a tree the engine runs takes that
  # tree's ops a chunk at a time; anything else steps.
  defp pull(%G{remaining: 0} = gen, _m), do: {[], 0, gen, true, nil}

  defp pull(%G{kind: kind, children: [child]} = gen, m) when kind in [:map, :filter] do
    if Engine.runs?(child),
      do: pull_chunked(gen, cap(m, gen.remaining)),
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
    case Engine.chunk(child, m - n) do
      {[], _child} ->
        {:lists.reverse(acc), n, gen, true, nil}

      {ops, after_chunk} ->
        case keep_chunk(gen, ops, m - n, acc, rejected) do
          # The function or predicate raised on an op of this chunk: step
          # from the chunk's start, so the error waits at that op.
          :raised ->
            pull(gen, m - n, acc, n)

          {:all, acc, kept, rejected} ->
            gen = %{gen | children: [after_chunk], remaining: sub(gen.remaining, kept)}
            pull_chunked(gen, m, acc, n + kept, rejected)

          {:stop, acc, kept, used, error} ->
            gen = %{
              gen
              | children: [Engine.drop(child, used)],
                remaining: sub(gen.remaining, kept)
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

  defp keep(%G{kind: :map, engine: %{fun: fun}} = gen, [op | ops], want, acc, kept, r, used),
    do: keep(gen, ops, want, [fun.(op) | acc], kept + 1, r, used + 1)

  defp keep(%G{engine: %{pred: pred, max: max}} = gen, [op | ops], want, acc, kept, r, used) do
    cond do
      pred.(op) -> keep(gen, ops, want, [op | acc], kept + 1, 0, used + 1)
      r + 1 < max -> keep(gen, ops, want, acc, kept, r + 1, used + 1)
      true -> {:stop, acc, kept, used - r, rejection_error(max)}
    end
  end

  defp rejection_error(max) do
    Lockstep.Generator.Step.too_many_rejections!(max)
  catch
    kind, reason -> {kind, reason, __STACKTRACE__}
  end

  defp pull_one(gen) do
    {:ok, G.next(gen)}
  catch
    kind, reason -> {:error, {kind, reason, __STACKTRACE__}}
  end

  @doc false
  # False when the engine served a supplied child past its ops (into what
  # pulling raised).
  @spec ok?(G.t(), term()) :: boolean()
  def ok?(%G{engine: %{ahead: ahead}}, %{children: states}) do
    Enum.zip(ahead, states)
    |> Enum.all?(fn
      {%{error: {_, _, _}, left: left}, state} -> Engine.produced(state) <= left
      _ -> true
    end)
  end

  def ok?(_gen, _state), do: true

  @doc false
  # A supplied child after the engine took n of its ops: the state kept
  # after the last one pulled when it took them all, else the same child,
  # `behind` n more.
  @spec take(G.t(), non_neg_integer(), map()) :: {G.t(), map()}
  def take(child, 0, entry), do: {child, entry}

  def take(_child, n, %{left: n, tail: tail} = entry),
    do: {tail, %{entry | ops: [], left: 0, behind: 0}}

  def take(child, n, %{ops: ops, left: left, behind: behind} = entry),
    do: {child, %{entry | ops: Enum.drop(ops, n), left: left - n, behind: behind + n}}

  @doc false
  # `gen` with its supplied children at their exact states.
  @spec materialize(G.t()) :: G.t()
  def materialize(%G{children: cs, engine: %{ahead: [_ | _] = ahead} = e} = gen) do
    {cs, ahead} =
      Enum.zip(cs, ahead)
      |> Enum.map(fn
        {child, %{behind: b} = entry} when b > 0 -> {Engine.drop(child, b), %{entry | behind: 0}}
        pair -> pair
      end)
      |> Enum.unzip()

    %{gen | children: cs, engine: %{e | ahead: ahead}}
  end

  def materialize(gen), do: gen

  @doc false
  # The engine leaf of an entry, `{spec, pool}`: a cycle over the pulled
  # ops, with one op more when pulling the next raised (the engine serving
  # it is how a call is seen to reach the error).
  @spec leaf(map()) :: {tuple(), tuple()}
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
          if Engine.produced(state) > left, do: error

        _ ->
          nil
      end)

    :erlang.raise(kind, reason, stack)
  end

  defp sub(:infinity, _n), do: :infinity
  defp sub(r, n), do: r - n

  defp cap(k, :infinity), do: k
  defp cap(k, r), do: min(k, r)
end
