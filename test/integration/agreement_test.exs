defmodule Lockstep.AgreementTest do
  # Every way of reading a generator gives the same ops.
  #
  # Randomly built generator trees (deterministic: fixed :rand seeds) are read
  # through every public path: a next/1 loop (the reference), each/2,
  # reduce/3, Enum.take/2, Enum.to_list/1, Enum.count/1, drop/2 (also after
  # some next/1 calls), Stream.zip/2, a term_to_binary round trip mid-stream
  # and fork/2 mid-stream. Lengths are chosen around the prefetch buffer and
  # chunk edges (64, 256, 4096). Paths are only compared with each other, so
  # the test holds whatever rule decides when a mix is done.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @moduletag timeout: 300_000

  @trees 220
  @nmax 9000
  @ns [1, 63, 64, 65, 255, 256, 257, 320, 4095, 4096, 4097, @nmax]
  @drops [0, 1, 63, 64, 65, 255, 256, 257, 4095, 4096, 4097]
  @mids [1, 5, 63, 64, 65, 256, 257, 4097]
  @window 300
  @takes [0, 1, 2, 3, 5, 17, 63, 64, 65, 100, 255, 256, 257, 300, 1000, 4095, 4096, 4097, 5000]

  # ------------------------------------------------------------------ trees

  # {gen, description, fork_keeps_position?}. The flag is false when the tree
  # contains a filter or a random mix (also inside register/bank): there, how
  # many ops a child has consumed depends on the stream, so a fork taken at op
  # j need not equal fork-then-drop(j).
  defp tree(0), do: leaf()

  defp tree(d) do
    case :rand.uniform(13) do
      1 -> leaf()
      2 -> mix_rr(d)
      3 -> mix_random(d)
      4 -> mix_rr(d)
      5 -> mix_random(d)
      6 -> concat(d)
      7 -> zip(d)
      8 -> take(tree(d - 1))
      9 -> map(d)
      10 -> filter(d)
      11 -> fork(d)
      12 -> workload()
      13 -> mix_rr(d)
    end
  end

  defp seed, do: :rand.uniform(1_000_000)

  defp children(d, max \\ 3), do: for(_ <- 1..:rand.uniform(max), do: tree(d - 1))

  defp unzip3(trees) do
    {Enum.map(trees, &elem(&1, 0)), Enum.map_join(trees, ", ", &elem(&1, 1)),
     Enum.all?(trees, &elem(&1, 2))}
  end

  defp maybe_take(t), do: if(:rand.uniform(4) == 1, do: take(t), else: t)

  defp take({g, desc, safe}) do
    n = Enum.random(@takes)
    {G.take(g, n), "take(#{desc}, #{n})", safe}
  end

  defp leaf do
    s = seed()

    t =
      case :rand.uniform(6) do
        1 ->
          ops = Enum.random([[:a, :b, :c], Enum.to_list(1..20), [:x]])
          {G.random(ops, seed: s), "random(#{inspect(ops)}, seed: #{s})", true}

        2 ->
          ops = Enum.random([[:a, :b, :c], [:r, {:w, 1}], [1]])
          {G.cycle(ops), "cycle(#{inspect(ops)})", true}

        3 ->
          ops = Enum.random([[a: 1, b: 0, c: 5], [r: 3, w: 1], [{1, 2}, {2, 2}, {3, 7}]])
          {G.weighted(ops, seed: s), "weighted(#{inspect(ops)}, seed: #{s})", true}

        4 ->
          r = Enum.random([1..6, -5..5, 0..1_000_000])
          {G.integers(r, seed: s), "integers(#{inspect(r)}, seed: #{s})", true}

        5 ->
          {n, skew} = Enum.random([{100, 1.0}, {10, 0.0}, {1000, 1.3}, {7, 0.5}])
          {G.zipf(n, skew: skew, seed: s), "zipf(#{n}, skew: #{skew}, seed: #{s})", true}

        6 ->
          start = Enum.random([1, 0, -3, 1_000])
          {G.counter(start), "counter(#{start})", true}
      end

    maybe_take(t)
  end

  defp workload do
    s = seed()

    t =
      case :rand.uniform(3) do
        1 ->
          v = Enum.random([1..5, 1..3, 0..100])

          {Workloads.register(seed: s, values: v), "register(seed: #{s}, values: #{inspect(v)})",
           false}

        2 ->
          a = Enum.random([2, 5, 10])
          {Workloads.bank(seed: s, accounts: a), "bank(seed: #{s}, accounts: #{a})", false}

        3 ->
          k = Enum.random([1, 3, 8])
          l = Enum.random([1, 4])
          dist = Enum.random([:uniform, {:zipf, 1.0}])

          {Workloads.list_append(seed: s, keys: k, max_txn_length: l, key_dist: dist),
           "list_append(seed: #{s}, keys: #{k}, max_txn_length: #{l}, key_dist: #{inspect(dist)})",
           true}
      end

    maybe_take(t)
  end

  defp mix_rr(d) do
    {gs, desc, safe} = unzip3(Enum.map(children(d), &maybe_take/1))

    case Enum.random([nil, :any, :all]) do
      nil -> {G.mix(gs), "mix([#{desc}])", safe}
      u -> {G.mix(gs, until: u), "mix([#{desc}], until: #{u})", safe}
    end
    |> maybe_take()
  end

  defp mix_random(d) do
    {gs, desc, _safe} = unzip3(Enum.map(children(d), &maybe_take/1))
    s = seed()
    u = Enum.random([:any, :all])

    opts =
      if :rand.uniform(2) == 1 do
        ws = for _ <- gs, do: Enum.random([0, 1, 2, 3])
        ws = if Enum.sum(ws) == 0, do: [1 | tl(ws)], else: ws
        [strategy: :random, seed: s, until: u, weights: ws]
      else
        [strategy: :random, seed: s, until: u]
      end

    maybe_take({G.mix(gs, opts), "mix([#{desc}], #{inspect(opts)})", false})
  end

  defp concat(d) do
    ts = children(d)
    # Phases before the last one mostly end, so later phases run.
    ts = Enum.map(Enum.drop(ts, -1), &take/1) ++ [List.last(ts)]
    {gs, desc, safe} = unzip3(ts)
    maybe_take({G.concat(gs), "concat([#{desc}])", safe})
  end

  defp zip(d) do
    {gs, desc, safe} = unzip3(children(d))
    maybe_take({G.zip(gs), "zip([#{desc}])", safe})
  end

  defp map(d) do
    {g, desc, safe} = tree(d - 1)
    maybe_take({G.map(g, &tag/1), "map(#{desc}, &{:m, &1})", safe})
  end

  # The filtered child is zipped with a counter so that its ops always vary
  # (a predicate over a one-op cycle could reject everything); the predicate
  # keeps about 3 ops in 4; then the counter is mapped away half the time.
  defp filter(d) do
    {g, desc, _safe} = tree(d - 1)
    start = Enum.random([1, 100])
    f = G.filter(G.zip([g, G.counter(start)]), &keep?/1)
    desc = "filter(zip([#{desc}, counter(#{start})]), &keep?/1)"

    if :rand.uniform(2) == 1,
      do: maybe_take({G.map(f, &first/1), "map(#{desc}, &elem(&1, 0))", false}),
      else: maybe_take({f, desc, false})
  end

  defp fork(d) do
    {g, desc, safe} = tree(d - 1)
    key = Enum.random([0, 1, :w, {:worker, 2}])
    {G.fork(g, key), "fork(#{desc}, #{inspect(key)})", safe}
  end

  def tag(op), do: {:m, op}
  def first({op, _c}), do: op
  def keep?(op), do: :erlang.phash2(op, 4) != 0

  # ------------------------------------------------------------------ paths

  defp next_loop(g, max), do: next_loop(g, max, [])
  defp next_loop(_g, 0, acc), do: Enum.reverse(acc)

  defp next_loop(g, m, acc) do
    case G.next(g) do
      :done -> Enum.reverse(acc)
      {op, g} -> next_loop(g, m - 1, [op | acc])
    end
  end

  # The generator after j next/1 calls, or :done if it ends before.
  defp advance(g, 0), do: g

  defp advance(g, j) do
    case G.next(g) do
      :done -> :done
      {_op, g} -> advance(g, j - 1)
    end
  end

  defp via_reduce(g), do: g |> G.reduce([], &[&1 | &2]) |> Enum.reverse()

  defp via_each(g) do
    key = {__MODULE__, make_ref()}
    Process.put(key, [])
    count = G.each(g, fn op -> Process.put(key, [op | Process.get(key)]) end)
    ops = Enum.reverse(Process.delete(key))
    assert count == length(ops), "each/2 returned #{count} for #{length(ops)} ops"
    ops
  end

  # Compares with a readable message: the first differing index.
  defp same!(expected, actual, ctx) do
    if expected != actual do
      i =
        Enum.zip(expected, actual)
        |> Enum.find_index(fn {a, b} -> a != b end)

      detail =
        if i,
          do:
            "first difference at op #{i}: expected #{inspect(Enum.at(expected, i))}, " <>
              "got #{inspect(Enum.at(actual, i))}",
          else: "lengths differ: expected #{length(expected)}, got #{length(actual)}"

      flunk("#{ctx.()}: #{detail}")
    end
  end

  # ------------------------------------------------------------------ the test

  # A few fixed trees first (the shapes the benchmark and users run), then
  # random ones.
  defp curated do
    r = G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 1)
    c = G.cycle([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}])
    w = G.weighted([read: 1, write: 2, cas: 3, delete: 0], seed: 3)
    mix3 = G.mix([r, c, w])

    [
      {mix3, "mix3", true},
      {G.mix([G.take(r, 100), G.take(c, 4097), G.take(w, 64)], until: :all),
       "mix3 of takes, until: :all", true},
      {G.mix([G.take(r, 100), G.take(c, 4097), G.take(w, 64)]), "mix3 of takes", true},
      {G.mix([r, c, w], strategy: :random, seed: 5), "random mix3", false},
      {G.mix([r, c, w], strategy: :random, seed: 5, weights: [2, 1, 1]), "weighted mix3", false},
      {G.mix([G.take(r, 300), c, G.take(w, 4000)], strategy: :random, seed: 6, until: :all),
       "random mix3 of takes, until: :all", false},
      {G.mix([G.take(r, 300), c, G.take(w, 4000)], strategy: :random, seed: 6),
       "random mix3 of takes", false},
      {Workloads.register(seed: 1), "register", false},
      {Workloads.bank(seed: 1), "bank", false},
      {Workloads.list_append(seed: 1), "list_append", true},
      {G.concat([G.take(r, 4096), G.take(c, 65), w]), "concat", true},
      {G.zip([G.cycle([:write]), G.integers(1..100, seed: 1)]), "zip", true},
      {G.map(r, &tag/1), "map", true},
      {G.filter(G.integers(1..1000, seed: 2), &keep?/1), "filter", false},
      {G.fork(mix3, :w), "fork(mix3)", true},
      {G.take(mix3, 4097), "take(mix3, 4097)", true},
      {G.mix([G.take(G.cycle([:r]), 50), G.take(G.cycle([:w]), 50)]), "mix of take 50s", true},
      {G.mix([G.take(r, 2), c]), "mix([take(r, 2), c])", true},
      {G.mix([G.mix([G.take(r, 5), c]), G.take(w, 7)], until: :all), "nested mixes", true},
      {G.counter(5), "counter", true},
      {G.zipf(1000, seed: 4), "zipf", true},
      {G.chunk(mix3, 3), "chunk(mix3, 3)", true},
      {G.chunk(G.take(r, 1001), 7), "chunk(take(r, 1001), 7)", true},
      {G.chunk(G.filter(G.integers(1..1000, seed: 2), &keep?/1), 5), "chunk(filter, 5)", false},
      {G.chunk(G.mix([r, c], strategy: :random, seed: 5), 4), "chunk(random mix, 4)", false},
      {G.mix([G.chunk(G.take(r, 50), 4), G.map(c, &tag/1)], until: :all), "mix with a chunk",
       true}
    ] ++ wide()
  end

  # Trees of 32 leaves or more, whose next/1 refills from a cursor (a plan
  # kept between refills; Lockstep.Generator.Driver).
  defp wide do
    takes = fn n ->
      for i <- 1..n, do: G.take(G.random([:a, :b, {:w, i}], seed: i), 20 + i * 37)
    end

    leaves = fn n -> for i <- 1..n, do: G.integers(1..(i + 1), seed: i) end

    [
      {G.mix(takes.(40)), "mix of 40 takes", true},
      {G.mix(takes.(33), until: :all), "mix of 33 takes, until: :all", true},
      {G.mix(takes.(36), strategy: :random, seed: 9, until: :all), "random mix of 36 takes",
       false},
      {G.concat(takes.(34)), "concat of 34 takes", true},
      {G.zip(leaves.(32)), "zip of 32", true},
      {G.mix(for(j <- 1..8, do: G.mix(leaves.(5) ++ [G.cycle([j])]))), "mix of 8 mixes of 6",
       true},
      {G.mix(Enum.map(Enum.with_index(takes.(40)), fn {g, i} -> G.map(g, &{i, &1}) end),
         until: :all
       ), "mix of 40 maps of takes", true},
      {G.zip(Enum.map(leaves.(33), &G.map(&1, fn v -> v * 2 end))), "zip of 33 maps", true},
      {G.mix(mixed_kids(40), until: :all), "mix of 40 leaves, maps, filters and takes", false},
      {G.concat(mixed_kids(34)), "concat of 34 leaves, maps, filters and takes", false}
    ]
  end

  # Leaves, maps, filters and takes in turn (a filter makes the composite
  # supplied; without one it would be wide).
  defp mixed_kids(n) do
    for i <- 1..n do
      leaf = G.random([:a, :b, {:w, i}], seed: 1000 + i)

      case rem(i, 4) do
        0 -> G.take(leaf, 50 + i * 7)
        1 -> G.map(leaf, &{i, &1})
        2 -> G.take(G.filter(leaf, &(&1 != :a)), 40 + i * 5)
        3 -> leaf
      end
    end
  end

  defp trees do
    :rand.seed(:exsss, {20_240, 7, 11})

    random =
      for i <- 1..@trees do
        depth = if i <= 8, do: 1, else: Enum.random([2, 3, 3, 4])
        tree(depth)
      end

    Enum.with_index(curated() ++ random, fn {g, desc, safe}, i -> {i + 1, g, desc, safe} end)
  end

  test "next/1, each/2, reduce/3, Enum, drop/2, Stream.zip, term_to_binary and fork agree" do
    trees = trees()
    # Path choices use their own fixed stream (independent of the tree shapes).
    :rand.seed(:exsss, {99, 98, 97})

    refs =
      for {i, g, desc, safe} <- trees do
        ref = next_loop(g, @nmax + 1)
        check_tree(i, g, desc, safe, ref)
        {g, ref}
      end

    # Stream.zip of two generators (neighbouring trees), suspended and resumed.
    refs
    |> Enum.zip(tl(refs) ++ [hd(refs)])
    |> Enum.with_index(1)
    |> Enum.each(fn {{{g1, r1}, {g2, r2}}, i} ->
      n = Enum.random([65, 300, 4097])
      exp = Enum.zip(r1, r2) |> Enum.take(n)
      ctx = fn -> "Stream.zip(tree #{i}, tree #{i + 1}) take #{n}" end
      same!(exp, Stream.zip(g1, g2) |> Enum.take(n), ctx)
      same!(exp, Stream.zip(G.take(g1, n), g2) |> Enum.to_list(), ctx)
    end)
  end

  defp check_tree(i, g, desc, safe, ref) do
    finite? = length(ref) <= @nmax
    ref = Enum.take(ref, @nmax)
    ctx = fn path -> fn -> "tree #{i} #{desc}\n  path: #{path}" end end

    # Bounded reads, through take/2.
    for n <- Enum.take_random(@ns, 4) do
      exp = Enum.take(ref, n)
      t = G.take(g, n)
      same!(exp, next_loop(t, n + 1), ctx.("next/1 loop over take(g, #{n})"))
      same!(exp, via_reduce(t), ctx.("reduce/3 over take(g, #{n})"))
      same!(exp, via_each(t), ctx.("each/2 over take(g, #{n})"))
      same!(exp, Enum.take(g, n), ctx.("Enum.take(g, #{n})"))
      same!(exp, Enum.to_list(t), ctx.("Enum.to_list(take(g, #{n}))"))

      assert Enum.count(t) == length(exp),
             ctx.("Enum.count(take(g, #{n})) vs next/1 count #{length(exp)}").()
    end

    # Whole finite generators.
    if finite? do
      same!(ref, Enum.to_list(g), ctx.("Enum.to_list(g)"))
      same!(ref, via_reduce(g), ctx.("reduce/3 over g"))
      same!(ref, via_each(g), ctx.("each/2 over g"))
      assert Enum.count(g) == length(ref), ctx.("Enum.count(g) vs #{length(ref)}").()
    end

    # drop/2 from the start.
    for k <- Enum.take_random(@drops, 3) do
      exp = Enum.slice(ref, k, @window)
      d = G.drop(g, k)
      same!(exp, next_loop(d, @window), ctx.("drop(g, #{k}) then next/1 loop"))
      same!(exp, Enum.take(d, @window), ctx.("Enum.take(drop(g, #{k}), #{@window})"))
    end

    # Mid-stream: after j next/1 calls.
    for j <- Enum.take_random(@mids, 2) do
      case advance(g, j) do
        :done ->
          assert length(ref) < j, ctx.("next/1 ended before op #{j}").()

        gj ->
          check_mid(gj, j, g, ref, safe, ctx)
      end
    end
  end

  defp check_mid(gj, j, g, ref, safe, ctx) do
    m = @window
    exp = Enum.slice(ref, j, m)
    at = "after #{j} next/1"
    same!(exp, next_loop(gj, m), ctx.("#{at}: next/1 loop"))
    same!(exp, via_reduce(G.take(gj, m)), ctx.("#{at}: reduce/3 over take(#{m})"))
    same!(exp, via_each(G.take(gj, m)), ctx.("#{at}: each/2 over take(#{m})"))
    same!(exp, Enum.take(gj, m), ctx.("#{at}: Enum.take(#{m})"))

    k = Enum.random([1, 63, 64, 65, 256, 4096])
    exp_k = Enum.slice(ref, j + k, m)
    same!(exp_k, next_loop(G.drop(gj, k), m), ctx.("#{at}: drop(#{k}) then next/1 loop"))

    copy = :erlang.binary_to_term(:erlang.term_to_binary(gj))
    same!(exp, next_loop(copy, m), ctx.("#{at}: term_to_binary round trip, next/1 loop"))
    same!(exp, via_reduce(G.take(copy, m)), ctx.("#{at}: term_to_binary round trip, reduce/3"))

    key = Enum.random([0, 7, :w])
    f = G.fork(gj, key)
    fork_ops = next_loop(f, m)
    same!(fork_ops, via_reduce(G.take(f, m)), ctx.("#{at}: fork(#{inspect(key)}) reduce/3"))
    same!(fork_ops, Enum.take(f, m), ctx.("#{at}: fork(#{inspect(key)}) Enum.take"))
    same!(fork_ops, next_loop(G.fork(gj, key), m), ctx.("#{at}: fork is deterministic"))

    if safe do
      same!(
        next_loop(G.drop(G.fork(g, key), j), m),
        fork_ops,
        ctx.("fork(g after #{j} next/1, #{inspect(key)}) vs drop(fork(g), #{j})")
      )
    end
  end
end
