defmodule Lockstep.Generator.Combinators.Chunk do
  @moduledoc false
  # chunk/2: a generator's ops in lists of n (Lockstep.Generator.chunk/2;
  # the engine's rule: native/lockstep_engine/src/combinators/chunk.rs).
  # Its settings: `n`, the child's ops per op.

  @behaviour Lockstep.Generator.Combinators

  alias Lockstep.Generator.Build

  import Lockstep.Generator.Combinators, only: [generator?: 1]

  # The engine's MAX_N: a chunk is made whole by one engine call.
  @max_n 4096

  defstruct n: 1

  @impl true
  def __facade__ do
    quote do
      @doc """
      Groups the ops of `gen` into lists of `n` consecutive ops: op `i` is
      the list of `gen`'s ops `i·n .. i·n + n - 1`, from `gen`'s position
      now. When `gen` ends inside a list, that last list is shorter; the
      chunks end when `gen` has no op left. A transaction of `n` ops per op,
      as Jepsen-style transactional workloads want them.

      Counter-based like every combinator the engine runs: `drop(chunk(gen,
      n), k)` skips `k·n` ops of `gen` (O(1) when `gen`'s skips are:
      leaves, round-robin mixes, concats and zips of them), `fork/2` and
      `split/2` move `gen`'s streams, and `recipe/1`, `save/2` and `load/1`
      rebuild it. `n` is at most 4,096. A `gen` of maps, filters or
      selections is pulled ahead of the engine as in a mix.

      Raises `ArgumentError` if `gen` is not a generator or `n` is not an
      integer in `1..4096`.

      ## Examples

          iex> alias Lockstep.Generator, as: G
          iex> G.counter(1) |> G.chunk(3) |> Enum.take(2)
          [[1, 2, 3], [4, 5, 6]]
          iex> G.cycle([:r, :w]) |> G.take(5) |> G.chunk(2) |> Enum.to_list()
          [[:r, :w], [:r, :w], [:r]]
          iex> G.counter(1) |> G.chunk(3) |> G.drop(2) |> G.next() |> elem(0)
          [7, 8, 9]

      """
      @spec chunk(t(), pos_integer()) :: t()
      def chunk(gen, n), do: Lockstep.Generator.Combinators.Chunk.new(gen, n)
    end
  end

  @doc false
  @spec new(Lockstep.Generator.t(), pos_integer()) :: Lockstep.Generator.t()
  def new(gen, n)
      when generator?(gen) and is_integer(n) and n >= 1 and n <= @max_n,
      do: Build.combinator(:chunk, [gen], %__MODULE__{n: n}, "chunk/2")

  def new(gen, n) when generator?(gen),
    do: raise(ArgumentError, "chunk/2 expects n to be an integer in 1..4096, got: #{inspect(n)}")

  def new(gen, _n),
    do: raise(ArgumentError, "chunk/2 expects a generator, got: #{inspect(gen)}")

  @impl true
  def params(%__MODULE__{n: n}), do: [n]

  @impl true
  def recipe(%__MODULE__{n: n}), do: {:one, [n]}

  @impl true
  def inspect_fields(%__MODULE__{n: n}), do: [n: n]

  @impl true
  def child_ops(%__MODULE__{n: n}), do: n
end
