defmodule Lockstep.GoldenTest do
  # The golden vectors of native/lockstep_engine/tests/golden.rs, rebuilt through
  # the public API: every leaf's pool is the integers offset..offset + n - 1
  # (leaves of a mix get consecutive offsets, in order), so the ops equal the
  # committed indices.
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Seed

  @fixture Path.expand("../fixtures/golden_vectors.txt", __DIR__)
  @external_resource @fixture
  @length 100

  @two32 1 <<< 32
  @two64 1 <<< 64

  # Terms behind the domain-2 seeds of the fixture: hash64(term) => term
  # (docs/STREAM.md, section 1).
  @hashed_seeds %{7_801_313_763_491_924_706 => :foo, 13_288_176_363_022_651_439 => "abc"}

  defp lines do
    for {name, spec, ops} <- Lockstep.GoldenFile.lines(@fixture),
        do: {name, spec, ops |> String.split() |> Enum.map(&String.to_integer/1)}
  end

  # The seed term of a `D:V` token, checked against the Seed mapping.
  defp seed_term(token) do
    [d, v] = token |> String.split(":") |> Enum.map(&String.to_integer/1)

    term =
      case d do
        0 ->
          v

        1 ->
          v - @two64

        2 ->
          term = Map.fetch!(@hashed_seeds, v)

          assert (:erlang.phash2({1, term}, @two32) <<< 32 ||| :erlang.phash2({2, term}, @two32)) ==
                   v

          term
      end

    assert Seed.key(term) == {d, v}, "seed #{token} from #{inspect(term)}"
    term
  end

  # Builds the generator of `spec` with pools starting at `offset`; returns it and
  # the number of ops its leaves' pools take up.
  defp build(spec, offset) do
    case String.split(spec, " ", parts: 3) do
      ["random", seed, rest] ->
        [stream, n] = String.split(rest)
        assert stream == "0", "only stream 0 is reachable from the API"
        n = String.to_integer(n)
        {G.random(Enum.to_list(offset..(offset + n - 1)), seed: seed_term(seed)), n}

      ["weighted", seed, rest] ->
        [stream, ws] = String.split(rest)
        assert stream == "0", "only stream 0 is reachable from the API"
        ws = ws |> String.split(",") |> Enum.map(&String.to_integer/1)
        ops = Enum.to_list(offset..(offset + length(ws) - 1))
        {G.weighted(Enum.zip(ops, ws), seed: seed_term(seed)), length(ws)}

      ["cycle", n] ->
        n = String.to_integer(n)
        {G.cycle(Enum.to_list(offset..(offset + n - 1))), n}

      ["take", k, rest] ->
        {gen, n} = build(rest, offset)
        {G.take(gen, String.to_integer(k)), n}

      ["mix", until, rest] ->
        assert until in ["any", "all"]

        {children, end_offset} =
          rest
          |> String.split(" / ")
          |> Enum.map_reduce(offset, fn child, off ->
            {gen, n} = build(child, off)
            {gen, off + n}
          end)

        {G.mix(children, until: String.to_existing_atom(until)), end_offset - offset}
    end
  end

  test "the fixture has at least 17 vectors and every one holds through the public API" do
    checked =
      for {name, spec, expected} <- lines() do
        {gen, _pool_len} = build(spec, 0)
        assert length(expected) <= @length
        assert expected != []
        capped = G.take(gen, @length)

        # Vectors shorter than 100 ops are of generators that end there.
        assert reduce_list(capped) == expected, "golden vector #{name} via reduce/3"
        assert walk(capped) == expected, "golden vector #{name} via next/1"
        assert walk(gen, @length) == expected, "golden vector #{name} via next/1, uncapped"

        assert each_list(capped) == {expected, length(expected)},
               "golden vector #{name} via each/2"

        name
      end

    assert length(checked) >= 17
    assert length(Enum.uniq(checked)) == length(checked)
    # Every non-comment line was parsed into a vector and checked.
    non_comment =
      @fixture
      |> File.read!()
      |> String.split("\n")
      |> Enum.count(&(String.trim(&1) != "" and not String.starts_with?(&1, "#")))

    assert length(checked) == non_comment
  end

  test "the fixture's seeds cover all three domains" do
    seeds =
      for {_name, spec, _ops} <- lines(),
          [_, token] <- Regex.scan(~r/(\d+:\d+)/, spec),
          do: token |> String.split(":") |> hd()

    assert MapSet.new(seeds) == MapSet.new(["0", "1", "2"])
  end

  test "the doc examples' streams are the golden ones, for seeds of every domain" do
    # random-atom-foo with the seed :foo, random-minus-1 with -1, max u64.
    vectors = Map.new(lines(), fn {name, spec, ops} -> {name, {spec, ops}} end)
    {_, foo} = vectors["random-atom-foo"]
    assert G.random([0, 1, 2, 3], seed: :foo) |> walk(@length) == foo
    {_, minus1} = vectors["random-minus-1"]
    assert G.random([0, 1, 2, 3], seed: -1) |> walk(@length) == minus1
    {_, max} = vectors["random-max-u64"]
    assert G.random([0, 1, 2, 3], seed: @two64 - 1) |> walk(@length) == max
  end
end
