defmodule Lockstep.FrictionTest do
  # Issue 9.6 and the documentation items of issue 11.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G

  @root Path.expand("../..", __DIR__)

  defp doc(fun, arity) do
    {:docs_v1, _, _, _, _, _, docs} = Code.fetch_docs(G)

    Enum.find_value(docs, fn
      {{:function, ^fun, ^arity}, _, _, %{"en" => text}, _} -> text
      _ -> nil
    end)
  end

  defp moduledoc do
    {:docs_v1, _, _, _, %{"en" => text}, _, _} = Code.fetch_docs(G)
    text
  end

  test "integers/2 takes first..last with step 1 only, as its error says" do
    for bad <- [5..1, 5..1//-1, 3..2] do
      assert_raise ArgumentError, ~r/non-empty range with step 1/, fn -> G.integers(bad) end
    end

    assert G.integers(1..1, seed: 1) |> Enum.take(2) == [1, 1]
  end

  test "mix/2's doc documents every option; next/1's says when :done comes" do
    text = doc(:mix, 2)
    for opt <- ~w(:strategy :seed :weights :until), do: assert(text =~ "`#{opt}`", opt)
    next = doc(:next, 1)
    for word <- ~w(take/2 mix/2 concat/1 zip/1 filter/3), do: assert(next =~ word, word)
  end

  test "the moduledoc names every public constructor" do
    text = moduledoc()

    for c <-
          ~w(random/2 cycle/1 weighted/2 integers/2 zipf/2 counter/1 mix/2 concat/1 zip/1 map/2 filter/3 take/2 fork/2 split/2 drop/2) ++
            ~w(register/1 list_append/1 bank/1) do
      assert text =~ "`#{c}`" or text =~ ".#{c}`", c
    end
  end

  test "README: fences close, Rust version matches rustler's and Cargo.toml's" do
    readme = File.read!(Path.join(@root, "README.md"))
    fences = Regex.scan(~r/^```/m, readme)
    assert rem(length(fences), 2) == 0
    # No text glued to a closing fence.
    refute readme =~ ~r/^``` \S/m
    assert readme =~ "1.91 or later"
    refute readme =~ "1.85 or later"
    assert readme =~ "https://sh.rustup.rs"
    assert File.read!(Path.join(@root, "Cargo.toml")) =~ ~s(rust-version = "1.91")
    lock = File.read!(Path.join(@root, "Cargo.lock"))
    assert lock =~ ~s(name = "rustler"\nversion = "0.39.0")
  end

  @tag timeout: 120_000
  test "the cargo compiler step writes nothing to stdout, and nothing at all when up to date" do
    {out, 0} = System.cmd("mix", ["compile"], cd: @root, env: [{"MIX_ENV", "test"}])
    assert out == ""
    # Forced: the NIF step runs cargo again (nothing to rebuild): still silent.
    {out, 0} =
      System.cmd("mix", ["compile.lockstep_native"], cd: @root, env: [{"MIX_ENV", "test"}])

    assert out == ""
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
