defimpl Enumerable, for: Lockstep.Generator do
  # Chunked: each chunk is one engine call (64 ops first, growing to 4096), and
  # the generator after it comes from drop/2, so suspending and resuming (as
  # Stream.zip/2 does) never depends on mutable state.
  alias Lockstep.Generator.{Batch, Drop}

  @first_chunk 64

  # Known lengths only: infinite generators, filters and random mixes that
  # can end (:unknown) are counted by running them.
  def count(gen) do
    case Drop.capacity(gen) do
      n when is_integer(n) -> {:ok, n}
      _infinity_or_unknown -> {:error, __MODULE__}
    end
  end

  def member?(_gen, _value), do: {:error, __MODULE__}

  def slice(gen) do
    case Drop.capacity(gen) do
      n when not is_integer(n) ->
        {:error, __MODULE__}

      n ->
        # The 3-arity form (Elixir >= 1.14): `length` ops from `start`, every
        # `step`-th. With the 2-arity form, Elixir 1.14's Enum.slice/2 with a
        # step asked for the span and applied no step (issue 11).
        {:ok, n,
         fn
           _start, 0, _step ->
             []

           start, length, 1 ->
             gen |> Drop.drop(start) |> Lockstep.Generator.take(length) |> Enum.to_list()

           start, length, step ->
             gen
             |> Drop.drop(start)
             |> Lockstep.Generator.take((length - 1) * step + 1)
             |> Enum.take_every(step)
         end}
    end
  end

  def reduce(gen, acc, fun), do: reduce([], gen, @first_chunk, acc, fun)

  defp reduce(_ops, _gen, _k, {:halt, acc}, _fun), do: {:halted, acc}

  defp reduce(ops, gen, k, {:suspend, acc}, fun),
    do: {:suspended, acc, &reduce(ops, gen, k, &1, fun)}

  defp reduce([op | rest], gen, k, {:cont, acc}, fun),
    do: reduce(rest, gen, k, fun.(op, acc), fun)

  defp reduce([], gen, k, {:cont, acc}, fun) do
    case Batch.take_chunk(gen, k) do
      {[], _gen} -> {:done, acc}
      {ops, gen} -> reduce(ops, gen, min(k * 2, Batch.max_chunk()), {:cont, acc}, fun)
    end
  end
end
