defmodule Lockstep.Generator.Seed do
  @moduledoc false
  # How a `:seed` term becomes the engine's key material: a domain tag and a
  # 64-bit value (the Rust side turns that pair into a ChaCha key). Part of the
  # stream definition (docs/STREAM.md); golden vectors pin it.
  #
  #   * integer 0..2^64-1        -> {0, seed}
  #   * integer -2^63..-1        -> {1, seed + 2^64}
  #   * any other term           -> {2, :erlang.phash2(term, 2^32)}
  #
  # `:erlang.phash2/2` is documented by OTP as portable: the same value for the
  # same term on every machine and ERTS version.

  import Bitwise

  @two32 1 <<< 32
  @two63 1 <<< 63
  @two64 1 <<< 64

  @type key :: {0 | 1 | 2, non_neg_integer()}

  @spec key(term()) :: key()
  def key(seed) when is_integer(seed) and seed >= 0 and seed < @two64, do: {0, seed}
  def key(seed) when is_integer(seed) and seed < 0 and seed >= -@two63, do: {1, seed + @two64}
  def key(seed), do: {2, :erlang.phash2(seed, @two32)}

  @doc false
  # A fresh seed for a generator built without `:seed`: derived from
  # `:erlang.unique_integer/1` (and the clock, so separate VMs differ), small
  # enough to copy from `inspect/1` output.
  @spec generate() :: non_neg_integer()
  def generate do
    :erlang.phash2({:erlang.unique_integer([:positive]), :erlang.system_time()}, @two32)
  end
end
