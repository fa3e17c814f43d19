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
  #               when no map is inside t, else
  #   hash64(t) = phash2({3, c}, 2^32) * 2^32 + phash2({4, c}, 2^32),
  #               c = canonical(t)
  #
  # `:erlang.phash2/2` is documented by OTP as portable: the same value for the
  # same term on every machine and ERTS version. Its hash of a tuple, list,
  # integer, atom or binary consumes the term in order from the running state,
  # so the salt is mixed in before the term: the two halves are independent
  # 32-bit hashes, and distinct terms share a value at the 64-bit birthday
  # rate (about n^2 / 2^65 pairs among n terms). A map is the exception: its
  # pairs are hashed apart from that state and combined, so two maps whose
  # pairs collide in 32 bits collide whatever the salt. Terms with a map
  # inside are therefore hashed as their canonical form, which has no map
  # (canonical/1 below), under their own salts (3, 4).

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
    if map_inside?(term) do
      c = canonical(term)
      :erlang.phash2({3, c}, @two32) <<< 32 ||| :erlang.phash2({4, c}, @two32)
    else
      :erlang.phash2({1, term}, @two32) <<< 32 ||| :erlang.phash2({2, term}, @two32)
    end
  end

  defp map_inside?(t) when is_map(t), do: true
  defp map_inside?([h | t]), do: map_inside?(h) or map_inside?(t)
  defp map_inside?(t) when is_tuple(t), do: elements_map_inside?(t, tuple_size(t))
  defp map_inside?(_t), do: false

  defp elements_map_inside?(_t, 0), do: false

  defp elements_map_inside?(t, i),
    do: map_inside?(elem(t, i - 1)) or elements_map_inside?(t, i - 1)

  @doc false
  # The canonical form of a term with a map inside (STREAM.md 1): a term
  # without maps, equal for equal terms however the maps were built, and
  # different for different terms (every tuple it makes is tagged by its
  # first element, so none is mistaken for another):
  #
  #   * a map      -> {0, [{canonical(k), canonical(v)}, ...]}, pairs in
  #                   ascending term order of canonical(k);
  #   * a tuple    -> {1, canonical(e1), ..., canonical(en)};
  #   * a float    -> {2, <<f::float-64>>} (its IEEE-754 bits, big-endian:
  #                   no float is left to compare equal to an integer, so the
  #                   keys' order is total and exact);
  #   * a list     -> the list of the canonical elements (and tail);
  #   * any other term (integer, atom, binary, ...) -> itself.
  @spec canonical(term()) :: term()
  def canonical(m) when is_map(m) do
    {0, m |> Enum.map(fn {k, v} -> {canonical(k), canonical(v)} end) |> Enum.sort()}
  end

  def canonical(t) when is_tuple(t),
    do: List.to_tuple([1 | Enum.map(Tuple.to_list(t), &canonical/1)])

  def canonical(f) when is_float(f), do: {2, <<f::float-64>>}
  def canonical([h | t]), do: [canonical(h) | canonical(t)]
  def canonical(other), do: other

  @doc false
  # The seed a constructor's options give: `:seed`, or a drawn one when it
  # is absent or nil (`seed: nil` is no seed).
  @spec of_opts(keyword()) :: term()
  def of_opts(opts) do
    # (The first `:seed`, as Keyword.get/2 finds it, with one call less:
    # construction is on the hot path of a fresh generator per iteration.)
    case :lists.keyfind(:seed, 1, opts) do
      {:seed, seed} when seed != nil -> seed
      _none -> generate()
    end
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
