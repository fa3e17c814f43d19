defmodule Lockstep.SerializationTest do
  # Generators are plain data: through :erlang.term_to_binary/1 into a fresh VM
  # they continue the identical stream. Weighted generators carry a NIF resource
  # (their alias table) that does not exist in the other VM; the library has to
  # rebuild it, which the remote VM also reports.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Op}

  @moduletag timeout: 120_000

  @root Path.expand("../..", __DIR__)

  @continuation 200

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str", 3.5]

  defp skip(gen, n) do
    {ops, gen} = advance(gen, n)
    assert length(ops) == n
    gen
  end

  defp generators do
    random = G.random(@pool, seed: 101)
    big_random = G.random(Enum.to_list(1..700), seed: {:worker, 3})
    weighted = G.weighted([a: 1, b: 0, c: 5, d: 2], seed: 102)
    big_weighted = G.weighted(for(i <- 1..500, do: {i, rem(i, 3)}), seed: -7)
    cycle = G.cycle([:x, :y, :z])

    mix =
      G.mix([G.weighted([p: 2, q: 1], seed: 103), G.random(@pool, seed: 104), G.cycle([1, 2])])

    mix_all =
      G.mix(
        [G.take(G.weighted([u: 1, v: 3], seed: 105), 90), G.take(G.cycle([:w]), 40)],
        until: :all
      )

    nested = G.mix([G.mix([G.weighted([n1: 1, n2: 1], seed: 106), G.cycle([:c])]), random])
    # 40 leaves: next/1 refills from a cursor (a NIF resource) kept in the struct.
    wide = G.mix(for(i <- 1..40, do: G.random([:a, {:b, i}], seed: i)))
    # Maps and a filter (remote functions, loadable in the second VM).
    wide_maps = G.mix(for(i <- 1..36, do: G.map(G.cycle([{:w, i}, :r]), &Op.f/1)))

    supplied =
      G.mix([G.filter(G.integers(1..9, seed: 107), &is_integer/1), mix, G.map(cycle, &Op.f/1)])

    supplied = G.mix([G.filter(G.random(@pool, seed: 108), &is_tuple/1), supplied])

    base = [
      random: random,
      big_random: big_random,
      weighted: weighted,
      big_weighted: big_weighted,
      cycle: cycle,
      mix: mix,
      mix_all: mix_all,
      nested: nested,
      wide: wide,
      wide_maps: wide_maps,
      supplied: supplied,
      # A combinator of its own file (its settings are its own struct).
      chunk: G.chunk(G.mix([big_weighted, G.filter(cycle, &is_atom/1)]), 3)
    ]

    for {name, gen} <- base,
        {variant, g} <- [
          fresh: gen,
          mid: skip(gen, 3),
          mid_past_buffer: skip(gen, 70),
          take: G.take(gen, 150),
          mid_take: gen |> skip(5) |> G.take(120),
          take_mid: gen |> G.take(130) |> skip(66)
        ] do
      {"#{name}/#{variant}", g}
    end
  end

  # Weighted tables anywhere in a generator's tree, read from the internal
  # engine tuple by position-independent search (any reference in the struct).
  defp references(term) when is_reference(term), do: [term]
  # A wide tree's cursor is a cache, not a table (see Lockstep.Generator.Driver).
  defp references(%Lockstep.Generator.Cursor{}), do: []
  defp references(%_{} = struct), do: struct |> Map.from_struct() |> references()
  defp references(map) when is_map(map), do: map |> Map.values() |> Enum.flat_map(&references/1)
  defp references(list) when is_list(list), do: Enum.flat_map(list, &references/1)

  defp references(tuple) when is_tuple(tuple),
    do: tuple |> Tuple.to_list() |> Enum.flat_map(&references/1)

  defp references(_), do: []

  @script ~S"""
  [input, output] = System.argv()
  alias Lockstep.Generator, as: G

  refs = fn refs, term ->
    cond do
      is_reference(term) -> [term]
      is_struct(term, Lockstep.Generator.Cursor) -> []
      is_struct(term) -> refs.(refs, Map.from_struct(term))
      is_map(term) -> Enum.flat_map(Map.values(term), &refs.(refs, &1))
      is_list(term) -> Enum.flat_map(term, &refs.(refs, &1))
      is_tuple(term) -> Enum.flat_map(Tuple.to_list(term), &refs.(refs, &1))
      true -> []
    end
  end

  walk = fn walk, gen, n, acc ->
    case if(n == 0, do: :done, else: G.next(gen)) do
      :done -> Enum.reverse(acc)
      {op, gen} -> walk.(walk, gen, n - 1, [op | acc])
    end
  end

  gens = input |> File.read!() |> :erlang.binary_to_term()

  results =
    for {name, gen} <- gens do
      live = Enum.map(refs.(refs, gen), &Lockstep.Generator.Native.table_live/1)
      walked = walk.(walk, gen, 200, [])
      reduced = gen |> G.take(200) |> G.reduce([], &[&1 | &2]) |> Enum.reverse()
      counted = G.each(G.take(gen, 200), fn _ -> :ok end)
      {name, live, walked, reduced, counted}
    end

  priv = :code.priv_dir(:lockstep_generator)
  so = Path.join(to_string(priv), "native/liblockstep_nif.so")
  File.write!(output, :erlang.term_to_binary({System.pid(), priv, File.exists?(so), results}))
  """

  test "generators continue the identical stream in a second VM" do
    dir =
      Path.join(System.tmp_dir!(), "lockstep_serialization_#{System.unique_integer([:positive])}")

    File.mkdir_p!(dir)
    on_exit(fn -> File.rm_rf!(dir) end)
    gens = generators()
    input = Path.join(dir, "gens.bin")
    output = Path.join(dir, "ops.bin")
    File.write!(input, :erlang.term_to_binary(gens))

    ebin = :code.lib_dir(:lockstep_generator, :ebin)
    elixir = System.find_executable("elixir")
    assert elixir, "elixir executable on PATH"

    {out, status} =
      System.cmd(elixir, ["-pa", to_string(ebin), "-e", @script, input, output],
        stderr_to_stdout: true
      )

    assert status == 0, out

    {remote_pid, priv, so_exists, results} = output |> File.read!() |> :erlang.binary_to_term()
    assert remote_pid != System.pid(), "ran in another OS process"
    assert to_string(priv) == to_string(:code.priv_dir(:lockstep_generator))
    assert so_exists

    assert Enum.map(results, &elem(&1, 0)) == Enum.map(gens, &elem(&1, 0))

    for {{name, gen}, {_, live, walked, reduced, counted}} <- Enum.zip(gens, results) do
      expected = walk(gen, @continuation)
      assert expected != [], name
      assert walked == expected, "#{name}: next/1 in the second VM"
      assert reduced == expected, "#{name}: reduce/3 in the second VM"
      assert counted == length(expected), "#{name}: each/2 in the second VM"

      # Every weighted table arrived stale: the stream above needed a rebuild.
      local_refs = references(gen)
      assert length(live) == length(local_refs), name
      assert Enum.all?(local_refs, &Native.table_live/1), name
      assert Enum.all?(live, &(&1 == false)), "#{name}: tables must be stale remotely"

      # Only long weight lists have a table resource; short ones are built
      # inside each engine call.
      if String.starts_with?(name, "big_weighted") do
        assert live != [], "#{name} carries a table"
      end
    end
  end

  test "a round trip in the same VM keeps the stream" do
    for {name, gen} <- generators() do
      copy = gen |> :erlang.term_to_binary() |> :erlang.binary_to_term()
      expected = walk(gen, @continuation)
      assert walk(copy, @continuation) == expected, name
      assert copy |> G.take(@continuation) |> reduce_list() == expected, name
    end
  end

  @tag :tmp_dir
  @tag timeout: 120_000
  test "term_to_binary: named captures travel to another VM, anonymous funs do not", %{
    tmp_dir: tmp
  } do
    named = G.counter(1) |> G.map(&Integer.to_string/1) |> G.take(3)
    anon = G.counter(1) |> G.map(fn i -> i * 10 end) |> G.take(3)
    plain = G.random([:a, :b, :c], seed: 5) |> G.fork(:w1) |> G.drop(7) |> G.take(4)

    for {name, gen} <- [named: named, anon: anon, plain: plain],
        do: File.write!(Path.join(tmp, "#{name}.bin"), :erlang.term_to_binary(gen))

    script = """
    for name <- ~w(named anon plain) do
      gen = File.read!(Path.join(#{inspect(tmp)}, name <> ".bin")) |> :erlang.binary_to_term()
      result =
        try do
          inspect(Enum.to_list(gen))
        rescue
          e -> inspect(e.__struct__)
        end
      IO.puts(name <> " " <> result)
    end
    """

    {out, 0} = System.cmd("mix", ["run", "-e", script], cd: @root, env: [{"MIX_ENV", "test"}])
    assert out =~ ~s(named ["1", "2", "3"])
    # The test module that made the fun is not loaded in that VM.
    assert out =~ "anon UndefinedFunctionError"
    assert out =~ "plain #{inspect(Enum.to_list(plain))}"
  end
end
