defmodule Lockstep.GoldenValuesTest do
  # The golden vectors of native/lockstep_engine/tests/golden_values.rs (value
  # kinds and composites), rebuilt through the public API. A pick from a user
  # pool at flat index k is the atom :"pk"; flat indices are assigned in order
  # over every pool-owning leaf of the spec (random/cycle/weighted own n entries,
  # transfer owns 1 (:transfer), list_append owns 3 (:append, :r, nil)).
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Params, Workloads}

  @fixture Path.expand("../fixtures/golden_values.txt", __DIR__)
  @external_resource @fixture
  @length 40
  @min_lines 18

  defp lines, do: Lockstep.GoldenFile.lines(@fixture)

  # --- spec parser (mirrors `parse`/`groups` of golden_values.rs) -------------

  # Builds the generator of a whole spec string.
  defp build(spec) do
    words = String.split(spec)
    {gen, used, _offset} = parse(words, 0)
    assert used == length(words), "trailing words in #{inspect(spec)}"
    gen
  end

  # {generator, words used, next flat pool offset}
  defp parse(["random", s, n | _], offset) do
    pool = pool(offset, int(n))
    {G.random(pool, seed: int(s)), 3, offset + int(n)}
  end

  defp parse(["cycle", n | _], offset) do
    {G.cycle(pool(offset, int(n))), 2, offset + int(n)}
  end

  defp parse(["weighted", s, ws | _], offset) do
    weights = ws |> String.split(",") |> Enum.map(&int/1)
    pool = pool(offset, length(weights))
    {G.weighted(Enum.zip(pool, weights), seed: int(s)), 3, offset + length(weights)}
  end

  defp parse(["integers", s, first, last | _], offset) do
    {G.integers(int(first)..int(last), seed: int(s)), 4, offset}
  end

  defp parse(["zipf", s, n, skew | _], offset) do
    {G.zipf(int(n), skew: float(skew), seed: int(s)), 4, offset}
  end

  defp parse(["counter", start | _], offset) do
    {G.counter(int(start)), 2, offset}
  end

  defp parse(["transfer", s, accounts, max | _], offset) do
    params = %Params.Transfer{accounts: int(accounts), max_amount: int(max)}
    gen = G.__value__(:transfer, params, [:transfer], int(s))
    {gen, 4, offset + 1}
  end

  defp parse(["list_append", s, keys, max_len, r, a, skew, workers, worker | _], offset) do
    key_dist = if skew == "uniform", do: :uniform, else: {:zipf, float(skew)}

    gen =
      Workloads.list_append(
        seed: int(s),
        keys: int(keys),
        max_txn_length: int(max_len),
        mix: [read: int(r), append: int(a)],
        key_dist: key_dist,
        workers: int(workers),
        worker: int(worker)
      )

    {gen, 9, offset + 3}
  end

  defp parse(["register", s, first, last, ws | _], offset) do
    mix = kind_mix(ws, [:read, :write, :cas])
    {Workloads.register(seed: int(s), values: int(first)..int(last), mix: mix), 5, offset + 3}
  end

  defp parse(["bank", s, accounts, max, ws | _], offset) do
    mix = kind_mix(ws, [:transfer, :read])
    gen = Workloads.bank(seed: int(s), accounts: int(accounts), max_transfer: int(max), mix: mix)
    {gen, 5, offset + 2}
  end

  defp parse(["take", k | rest], offset) do
    {gen, used, offset} = parse(rest, offset)
    {G.take(gen, int(k)), used + 2, offset}
  end

  defp parse(["chunk", n | rest], offset) do
    {gen, used, offset} = parse(rest, offset)
    {G.chunk(gen, int(n)), used + 2, offset}
  end

  defp parse(["fork", k | rest], offset) do
    {gen, used, offset} = parse(rest, offset)
    {G.fork(gen, int(k)), used + 2, offset}
  end

  defp parse(["zip" | rest], offset) do
    {children, used, offset} = groups(rest, offset)
    {G.zip(children), used + 1, offset}
  end

  defp parse(["concat" | rest], offset) do
    {children, used, offset} = groups(rest, offset)
    {G.concat(children), used + 1, offset}
  end

  defp parse(["mix", until | rest], offset) do
    {children, used, offset} = groups(rest, offset)
    {G.mix(children, until: until(until)), used + 2, offset}
  end

  defp parse(["rmix", until, s, picker | rest], offset) do
    {children, used, offset} = groups(rest, offset)

    weights =
      if picker == "uniform",
        do: [],
        else: [weights: picker |> String.split(",") |> Enum.map(&int/1)]

    opts = [strategy: :random, seed: int(s), until: until(until)] ++ weights
    {G.mix(children, opts), used + 4, offset}
  end

  defp parse(words, _offset), do: flunk("bad spec #{inspect(words)}")

  # `( SPEC ) ( SPEC ) …` up to the end of `words` or an unmatched `)`.
  defp groups(words, offset), do: groups(words, offset, [], 0)

  defp groups(["(" | rest], offset, acc, used) do
    {gen, n, offset} = parse(rest, offset)
    assert Enum.at(rest, n) == ")", "unbalanced group in #{inspect(rest)}"
    groups(Enum.drop(rest, n + 1), offset, [gen | acc], used + n + 2)
  end

  defp groups(_words, offset, acc, used), do: {Enum.reverse(acc), used, offset}

  defp pool(offset, n), do: for(k <- offset..(offset + n - 1)//1, do: :"p#{k}")

  defp int(word), do: String.to_integer(word)

  defp float(word) do
    assert {f, ""} = Float.parse(word)
    f
  end

  defp until("any"), do: :any
  defp until("all"), do: :all

  # --- rendering (mirrors `render` of golden_values.rs) ------------------------

  defp render(ops), do: Enum.map_join(ops, "; ", &term/1)

  defp term(nil), do: "nil"
  defp term(i) when is_integer(i), do: Integer.to_string(i)
  defp term(a) when is_atom(a), do: Atom.to_string(a)
  defp term(t) when is_tuple(t), do: "{" <> Enum.map_join(Tuple.to_list(t), ",", &term/1) <> "}"
  defp term(l) when is_list(l), do: "[" <> Enum.map_join(l, ",", &term/1) <> "]"

  # Checks one fixture line every way the public API reads a generator.
  defp check({name, spec, expected}) do
    gen = build(spec)
    capped = G.take(gen, @length)

    assert render(Enum.take(gen, @length)) == expected, "#{name}: Enum.take/2"
    assert render(Enum.to_list(capped)) == expected, "#{name}: Enum.to_list/1 of take/2"
    assert render(reduce_list(capped)) == expected, "#{name}: reduce/3"
    assert render(walk(gen, @length)) == expected, "#{name}: next/1 walk"
    {each_ops, count} = each_list(capped)
    assert render(each_ops) == expected, "#{name}: each/2"
    assert count == length(each_ops)

    # Resuming after a drop, and after next/1 calls, gives the rest of the line.
    expected_ops = String.split(expected, "; ")

    for k <- [1, 17, @length] do
      tail = expected_ops |> Enum.drop(k) |> Enum.join("; ")
      assert render(walk(G.drop(gen, k), @length - k)) == tail, "#{name}: drop #{k}"
      {_, rest} = advance(gen, k)
      assert render(reduce_list(G.take(rest, @length - k))) == tail, "#{name}: after #{k} nexts"
    end

    :ok
  end

  test "the fixture holds every spec of golden_values.rs" do
    names = Enum.map(lines(), &elem(&1, 0))
    assert length(names) >= @min_lines
    assert length(Enum.uniq(names)) == length(names)
  end

  test "every golden value line is reproduced through the public API" do
    checked = Enum.reduce(lines(), 0, fn line, n -> check(line) && n + 1 end)
    assert checked == length(lines())
    assert checked >= @min_lines
  end

  # One test per line too, so a failure names its vector.
  for {name, spec, expected} <-
        @fixture
        |> File.read!()
        |> String.split("\n")
        |> Enum.reject(&(String.starts_with?(&1, "#") or String.trim(&1) == ""))
        |> Enum.map(&List.to_tuple(String.split(&1, " | "))) do
    test "golden value #{name}" do
      assert check({unquote(name), unquote(spec), unquote(expected)}) == :ok
    end
  end

  test "a chunk's vector is its child's vector in lists of n (checked without the engine)" do
    vectors = Map.new(lines(), fn {name, _spec, ops} -> {name, String.split(ops, "; ")} end)

    for {chunk, child, n} <- [
          {"chunk-counter", "counter", 3},
          {"chunk-list-append", "list-append-zipf", 2},
          {"chunk-rmix", "rmix-uniform", 5}
        ] do
      grouped =
        vectors[child]
        |> Enum.chunk_every(n, n, :discard)
        |> Enum.map(&"[#{Enum.join(&1, ",")}]")

      assert length(grouped) >= 8
      assert Enum.take(vectors[chunk], length(grouped)) == grouped, chunk
    end
  end

  test "rendering matches the Rust side's term syntax" do
    assert render([1, -2, :p3, :append, nil, {:a, 1}, [[:r, 0, nil]]]) ==
             "1; -2; p3; append; nil; {a,1}; [[r,0,nil]]"
  end

  defp kind_mix("swarm", _kinds), do: :swarm

  defp kind_mix(ws, kinds),
    do: Enum.zip(kinds, ws |> String.split(",") |> Enum.map(&int/1))
end
