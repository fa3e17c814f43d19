defmodule Lockstep.Generator.SavedTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @moduletag :tmp_dir

  defmodule Fns do
    @moduledoc false
    def tag(op), do: {:tagged, op}
  end

  defp workload do
    reg = Workloads.register(seed: 42, values: 1..3) |> G.take(60)
    G.split(reg, 3) |> Enum.map(&G.select(&1, [1, 5, 30]))
  end

  test "a list of generators comes back as the same list of ops", %{tmp_dir: dir} do
    path = Path.join(dir, "w.lsg")
    gens = workload()
    assert :ok = G.save(gens, path)
    assert {:ok, loaded} = G.load(path)
    assert Enum.map(loaded, &Enum.to_list/1) == Enum.map(gens, &Enum.to_list/1)
    assert G.recipe(loaded) == G.recipe(gens)
  end

  test "one generator, mid-stream, with a named capture and a long weight list", %{tmp_dir: dir} do
    path = Path.join(dir, "one.lsg")
    weighted = G.weighted(for(i <- 1..300, do: {i, rem(i, 5)}), seed: 3)
    gen = G.mix([G.map(G.counter(1), &Fns.tag/1), weighted], strategy: :random, seed: 9)
    {_, gen} = G.next(gen)
    {_, gen} = G.next(gen)
    assert :ok = G.save(gen, path)
    assert {:ok, %G{} = loaded} = G.load(path)
    assert Enum.take(loaded, 500) == Enum.take(gen, 500)
  end

  test "the file holds the generators, not the ops", %{tmp_dir: dir} do
    path = Path.join(dir, "big.lsg")
    gen = G.random(Enum.to_list(1..10), seed: 1) |> G.take(1_000_000)
    assert :ok = G.save(gen, path)
    assert File.stat!(path).size < 1000
  end

  test "atoms the file's ops use are created when it is loaded", %{tmp_dir: dir} do
    path = Path.join(dir, "atoms.lsg")
    :ok = G.save(G.cycle([:lockstep_saved_test_atom_aa]), path)
    fresh = "lockstep_saved_test_atom_#{System.unique_integer([:positive])}"
    fresh = binary_part(fresh <> String.duplicate("x", 40), 0, 27)
    assert_raise ArgumentError, fn -> String.to_existing_atom(fresh) end
    # Rename the atom in place (same length), as a file from another VM.
    bin = File.read!(path) |> :binary.replace("lockstep_saved_test_atom_aa", fresh, [:global])
    File.write!(path, fix_crc(bin))
    assert {:ok, gen} = G.load(path)
    assert Enum.take(gen, 2) == [String.to_existing_atom(fresh), String.to_existing_atom(fresh)]
  end

  # Recomputes the checksum of an edited version-1 file.
  defp fix_crc(<<magic::binary-size(19), 1::16, size::32, rest::binary>>) do
    <<atoms::binary-size(size), _crc::32, body::binary>> = rest
    crc = :erlang.crc32([atoms, body])
    <<magic::binary, 1::16, size::32, atoms::binary, crc::32, body::binary>>
  end

  test "missing, truncated, damaged, foreign and newer files are {:error, reason}", %{
    tmp_dir: dir
  } do
    path = Path.join(dir, "w.lsg")
    :ok = G.save(workload(), path)
    bin = File.read!(path)

    assert {:error, message} = G.load(Path.join(dir, "missing.lsg"))
    assert message =~ "no such file"

    # Every truncation.
    for n <- 0..(byte_size(bin) - 1) do
      File.write!(path, binary_part(bin, 0, n))
      assert {:error, message} = G.load(path), "truncated to #{n} bytes"
      assert message =~ ~r/truncated|damaged|not a saved/
    end

    # A flipped byte in the body.
    <<head::binary-size(100), byte, tail::binary>> = bin
    File.write!(path, <<head::binary, Bitwise.bxor(byte, 1), tail::binary>>)
    assert {:error, message} = G.load(path)
    assert message =~ "checksum"

    File.write!(path, "defmodule Evil do end\n")
    assert {:error, message} = G.load(path)
    assert message =~ "not a saved Lockstep.Generator workload"

    File.write!(path, :erlang.term_to_binary(workload()))
    assert {:error, _} = G.load(path)

    <<magic::binary-size(19), 1::16, rest::binary>> = bin
    File.write!(path, <<magic::binary, 2::16, rest::binary>>)
    assert {:error, message} = G.load(path)
    assert message =~ "newer version"
  end

  test "a well-formed file that does not describe a generator is an error", %{tmp_dir: dir} do
    path = Path.join(dir, "bad.lsg")
    :ok = G.save(G.cycle([:a]), path)
    bin = File.read!(path)
    # Same checksum rules, other contents.
    <<magic::binary-size(19), 1::16, size::32, rest::binary>> = bin
    <<atoms::binary-size(size), _crc::32, _body::binary>> = rest

    for plans <- [
          [{:random, [[]], [], []}],
          [{:system_cmd, ["rm"], [], []}],
          [{:map, [{:cycle, [[:a]], [], []}, {Nowhere, :f, 1}], [], []}],
          [{:cycle, [[:a]], [], [{:drop, -1}]}],
          :nope
        ] do
      body = :erlang.term_to_binary(%{shape: :many, plans: plans, recipe: ""})
      crc = :erlang.crc32([atoms, body])
      File.write!(path, <<magic::binary, 1::16, size::32, atoms::binary, crc::32, body::binary>>)
      assert {:error, message} = G.load(path), inspect(plans)
      assert message =~ "cannot be built here"
    end
  end

  test "save refuses what recipe/1 cannot describe, and reports write errors", %{tmp_dir: dir} do
    assert_raise ArgumentError, ~r/anonymous function/, fn ->
      G.save(G.map(G.cycle([:a]), fn x -> x end), Path.join(dir, "x.lsg"))
    end

    assert {:error, message} = G.save(G.cycle([:a]), Path.join([dir, "no", "dir", "x.lsg"]))
    assert message =~ "cannot write"
  end
end
