defimpl Enumerable, for: Lockstep.Generator do
  # Chunked and pure: each chunk is a generator's buffer (one engine call
  # refills it), and the generator after it is plain data, so suspending and
  # resuming (as Stream.zip/2 does) never depends on mutable state.
  alias Lockstep.Generator.{Driver, Malformed, Node}

  @chunk 256

  # Known lengths only: filters and random mixes that can end (:unknown)
  # are counted by running them. An infinite generator has no count:
  # running it would never return, so it raises.
  def count(gen) do
    case capacity(gen, "Enum.count/1") do
      n when is_integer(n) ->
        {:ok, n}

      :infinity ->
        raise ArgumentError,
              "cannot count an infinite generator (no take/2 bounds it): #{inspect(gen)}"

      :unknown ->
        {:error, __MODULE__}
    end
  end

  def member?(_gen, _value), do: {:error, __MODULE__}

  @infinite_size Bitwise.bsl(1, 64)

  # Slicing skips with drop/2 (O(1) for seeded leaves and workloads). An
  # infinite generator reports 2^64 ops (op indices wrap there, see
  # docs/STREAM.md), so `Enum.slice(counter(0), 10_000_000, 2)` and
  # `Enum.at(gen, 10_000_000)` skip instead of walking; negative indices
  # into it count back from that size. Generators whose length only running
  # them tells are sliced by Enum's walk.
  def slice(gen) do
    case capacity(gen, "Enum's slicing") do
      :unknown ->
        {:error, __MODULE__}

      n ->
        n = if n == :infinity, do: @infinite_size, else: n

        # The 3-arity form (Elixir >= 1.14): `length` ops from `start`, every
        # `step`-th. With the 2-arity form, Elixir 1.14's Enum.slice/2 with a
        # step asked for the span and applied no step.
        {:ok, n, &slice_ops(gen, &1, &2, &3)}
    end
  end

  defp slice_ops(_gen, _start, 0, _step), do: []

  defp slice_ops(gen, start, length, 1) do
    gen |> Driver.drop(start) |> Node.take(length) |> Enum.to_list()
  rescue
    e -> Malformed.reraise(gen, "Enum's slicing", e, __STACKTRACE__)
  end

  defp slice_ops(gen, start, length, step) do
    gen
    |> Driver.drop(start)
    |> Node.take((length - 1) * step + 1)
    |> Enum.take_every(step)
  rescue
    e -> Malformed.reraise(gen, "Enum's slicing", e, __STACKTRACE__)
  end

  def reduce(gen, acc, fun), do: reduce([], gen, acc, fun)

  defp reduce(_ops, _gen, {:halt, acc}, _fun), do: {:halted, acc}

  defp reduce(ops, gen, {:suspend, acc}, fun),
    do: {:suspended, acc, &reduce(ops, gen, &1, fun)}

  defp reduce([op | rest], gen, {:cont, acc}, fun),
    do: reduce(rest, gen, fun.(op, acc), fun)

  defp reduce([], gen, {:cont, acc}, fun) do
    case chunk(gen) do
      {[], _gen} -> {:done, acc}
      {ops, gen} -> reduce(ops, gen, {:cont, acc}, fun)
    end
  end

  # A malformed generator is named in an ArgumentError (as by next/1).
  defp chunk(gen) do
    Driver.chunk(gen, @chunk)
  rescue
    e -> Malformed.reraise(gen, "Enumerable.reduce/3", e, __STACKTRACE__)
  end

  defp capacity(gen, fun) do
    case Driver.capacity(gen) do
      c when (is_integer(c) and c >= 0) or c in [:infinity, :unknown] ->
        c

      c ->
        raise ArgumentError, "#{fun}: the generator's length is #{inspect(c)}"
    end
  rescue
    e -> Malformed.reraise(gen, fun, e, __STACKTRACE__)
  end
end
