defmodule Lockstep.Generator.Select do
  @moduledoc false
  # select/2: the ops of a child generator at given op positions.
  #
  # A selection is a generator with `kind: :select`, `children: [child]` and
  # `engine: %{indices: indices, at: at}`:
  #
  #   * `indices` — the positions still to serve, strictly increasing, counted
  #     from the child's position when the selection was built;
  #   * `at` — how many child ops have been consumed since then, so the child's
  #     next op is op `at` (every remaining index is >= at).
  #
  #   * `run` (absent in values made before it) — how many of the next
  #     indices, consecutive from `at`, the child already holds ready (see
  #     below); 0 when none.
  #
  # It runs in Elixir: serving index i is `child |> drop(i - at) |> next()`
  # (drop/2 is O(1) for seeded leaves), so
  # the child is never re-run from the start and a filter child is walked
  # once in all. The child is asked as if under `take(i - at + r)`, `r` the
  # number of consecutive indices from i (at most @window, and at most the
  # selection's own take/2 budget), and its `remaining` is put back after
  # it (through maps, their children's too): a refill computes only the ops
  # that will be selected (one op for an isolated index), never a full
  # buffer that the next gap would throw away. Skipping (drop/2) is lazy: it forgets indices and leaves the child
  # where it is, the next pull drops the gap.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Settings

  import Inspect.Algebra

  # A selection's settings at its start (built as an update of this literal,
  # which shares its keys).
  @settings %Settings.Select{indices: []}

  # Most consecutive indices asked of the child in one refill.
  @window 256

  @doc false
  @spec new(G.t(), [non_neg_integer()]) :: G.t()
  def new(%G{} = gen, indices) do
    indices!(indices)
    %{%G{kind: nil} | kind: :select, children: [gen], engine: %{@settings | indices: indices}}
  end

  def new(other, _indices),
    do: raise(ArgumentError, "select/2 expects a generator, got: #{inspect(other)}")

  defp indices!(indices) do
    unless is_list(indices) and increasing?(indices, -1) do
      raise ArgumentError,
            "select/2 expects indices to be a strictly increasing list of " <>
              "non-negative integers, got: #{inspect(indices, limit: 20)}"
    end
  end

  defp increasing?([], _prev), do: true
  defp increasing?([i | rest], prev) when is_integer(i) and i > prev, do: increasing?(rest, i)
  defp increasing?(_bad, _prev), do: false

  @doc false
  # The next op: `drop_next.(child, n)` is the child's op after skipping n
  # (Lockstep.Generator.Driver passes it in).
  @spec next(G.t(), (G.t(), non_neg_integer() -> {term(), G.t()} | :done)) ::
          {term(), G.t()} | :done
  def next(%G{remaining: 0}, _drop_next), do: :done
  def next(%G{engine: %{indices: []}}, _drop_next), do: :done

  def next(
        %G{children: [child], engine: %{indices: [i | rest], at: at} = engine} = gen,
        drop_next
      ) do
    case engine do
      # The op is one the child holds from the last refill.
      %{run: run} when run > 0 and i == at -> serve(gen, drop_next.(child, 0), run - 1, rest, i)
      _ -> window(gen, child, i - at, i, rest, drop_next)
    end
  end

  # The child's op i (after a gap of `gap`), asked with a take/2 budget of
  # the gap and the r consecutive selected ops from i only; its own budget
  # is put back after.
  defp window(gen, child, gap, i, rest, drop_next) do
    r = consecutive(rest, i + 1, min_count(@window, gen.remaining) - 1, 1)

    case drop_next.(budget(child, gap + r), gap) do
      :done -> :done
      {op, moved} -> serve(gen, {op, restore(moved, child, gap + 1)}, r - 1, rest, i)
    end
  end

  # The child given a take/2 budget of k, and so are the children of maps
  # (one op of their child per op: a map's child would otherwise refill a
  # full buffer of its own).
  defp budget(%G{kind: :map, children: [c], remaining: r} = g, k),
    do: %{g | remaining: min_count(k, r), children: [budget(c, k)]}

  defp budget(%G{remaining: r} = g, k), do: %{g | remaining: min_count(k, r)}

  # The budgets put back: each node's own, less the `used` ops it gave.
  defp restore(%G{kind: :map, children: [c]} = moved, %G{children: [c0], remaining: r}, used),
    do: %{moved | remaining: sub(r, used), children: [restore(c, c0, used)]}

  defp restore(moved, %G{remaining: r}, used), do: %{moved | remaining: sub(r, used)}

  defp serve(_gen, :done, _run, _rest, _i), do: :done

  defp serve(gen, {op, child}, run, rest, i) do
    {op,
     %{
       gen
       | children: [child],
         engine: %{gen.engine | indices: rest, at: i + 1, run: run},
         remaining: dec(gen.remaining)
     }}
  end

  # How many of `indices` follow on from `next` one by one (at most `max`),
  # plus `n`.
  defp consecutive([next | rest], next, max, n) when max > 0,
    do: consecutive(rest, next + 1, max - 1, n + 1)

  defp consecutive(_indices, _next, _max, n), do: n

  defp min_count(n, :infinity), do: n
  defp min_count(n, r), do: min(n, r)

  @doc false
  # Skips n ops: forgets the first n indices (at most the take/2 budget).
  @spec drop(G.t(), non_neg_integer()) :: G.t()
  def drop(gen, 0), do: gen

  def drop(%G{engine: %{indices: indices} = engine, remaining: remaining} = gen, n) do
    n = if remaining == :infinity, do: n, else: min(n, remaining)
    # The child's ready ops are no longer the next indices' (run: 0).
    engine = %{engine | indices: Enum.drop(indices, n), run: 0}
    %{gen | engine: engine, remaining: sub(remaining, n)}
  end

  @doc false
  # Ops left, given the child's capacity from its current position
  # (a count, :infinity or :unknown): the indices the child reaches.
  @spec capacity(G.t(), non_neg_integer() | :infinity | :unknown) ::
          non_neg_integer() | :unknown
  def capacity(_gen, :unknown), do: :unknown

  def capacity(%G{engine: %{indices: indices, at: at}, remaining: remaining}, child_cap) do
    reached =
      case child_cap do
        :infinity -> length(indices)
        c -> Enum.count(indices, &(&1 - at < c))
      end

    if remaining == :infinity, do: reached, else: min(reached, remaining)
  end

  @doc false
  # `#Lockstep.Generator<select indices: [3, 17, 42] of: CHILD>`: what to pass
  # to select/2 to rebuild this value (indices counted from CHILD's position,
  # as it is now), then ` remaining: n` when take/2 capped it.
  @spec inspect_doc(G.t(), Inspect.Opts.t()) :: Inspect.Algebra.t()
  def inspect_doc(%G{children: [child], engine: %{indices: indices, at: at}} = gen, opts) do
    remaining = if gen.remaining == :infinity, do: "", else: " remaining: #{gen.remaining}"

    concat([
      "#Lockstep.Generator<select indices: ",
      to_doc(Enum.map(indices, &(&1 - at)), %{opts | charlists: :as_lists}),
      remaining,
      " of: ",
      to_doc(child, %{opts | custom_options: Keyword.delete(opts.custom_options, :lockstep_child)}),
      ">"
    ])
  end

  defp dec(:infinity), do: :infinity
  defp dec(n), do: n - 1

  defp sub(:infinity, _n), do: :infinity
  defp sub(a, n), do: a - n
end
