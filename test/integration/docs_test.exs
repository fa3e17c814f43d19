defmodule Lockstep.DocsTest do
  # The docs say what the code does: mix/2's and next/1's docs, the moduledoc's
  # list of constructors, the README's fences and the Rust version it names.
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
end
