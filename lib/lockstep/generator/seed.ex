defmodule Lockstep.Generator.Seed do
  @moduledoc false
  # How a `:seed` term (or a fork key) becomes the engine's key material: a
  # domain tag and a 64-bit value (the Rust side turns that pair into a ChaCha
  # key). Part of the stream definition (docs/STREAM.md, section 1); golden
  # vectors pin it.
  #
  #   * integer 0..2^64-1        -> {0, seed}
  #   * integer -2^63..-1        -> {1, seed + 2^64}
  #   * any other term           -> {2, hash64(term)}
  #
  #   hash64(t) = phash2({1, t}, 2^32) * 2^32 + phash2({2, t}, 2^32)
  #
  # `:erlang.phash2/2` is documented by OTP as portable: the same value for the
  # same term on every machine and ERTS version. Its hash of a tuple consumes
  # the elements in order, so the salt (1 or 2) is mixed in before the term:
  # the two halves are independent 32-bit hashes, and distinct terms share a
  # value at the 64-bit birthday rate (about n^2 / 2^65 pairs among n terms).

  import Bitwise

  @two32 1 <<< 32
  @two63 1 <<< 63
  @two64 1 <<< 64

  @type key :: {0 | 1 | 2, non_neg_integer()}

  @spec key(term()) :: key()
  def key(seed) when is_integer(seed) and seed >= 0 and seed < @two64, do: {0, seed}
  def key(seed) when is_integer(seed) and seed < 0 and seed >= -@two63, do: {1, seed + @two64}
  def key(seed), do: {2, hash64(seed)}

  @doc false
  # The 64-bit reduction of a non-integer seed or fork key (STREAM.md 1).
  @spec hash64(term()) :: non_neg_integer()
  def hash64(term) do
    :erlang.phash2({1, term}, @two32) <<< 32 ||| :erlang.phash2({2, term}, @two32)
  end

  @doc false
  # A fresh seed for a generator built without `:seed`: 64 bits drawn from
  # `:rand`'s exsss, seeded from node, pid, clock and
  # `:erlang.unique_integer/0` (`:rand.seed_s/1`, which leaves the process's
  # own `:rand` state alone). An integer in 0..2^64-1, so the stream is the
  # one of that integer: copy it from `inspect/1` output to replay.
  @spec generate() :: non_neg_integer()
  def generate do
    {n, _state} = :rand.uniform_s(@two64, :rand.seed_s(:exsss))
    n - 1
  end
end
