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

  # Stands in for Lockstep's Lockstep.History in the README's samples.
  defmodule History do
    def op(history, f, value, fun) do
      result = fun.()
      send(self(), {history, f, value, result})
      result
    end
  end

  # The README's Elixir samples, but the mix.exs fragments.
  defp readme_samples do
    Path.join(@root, "README.md")
    |> File.read!()
    |> then(&Regex.scan(~r/^```elixir\n(.*?)^```/ms, &1, capture: :all_but_first))
    |> Enum.map(&hd/1)
    |> Enum.reject(&String.starts_with?(&1, "def deps"))
  end

  test "README: every Elixir sample runs, and each `#=>` line is what the code above it returns" do
    samples = readme_samples()
    assert length(samples) >= 3

    for sample <- samples do
      lines = String.split(sample, "\n")
      results = for {"#=> " <> want, i} <- Enum.with_index(lines), do: {want, i}
      assert results != [], sample

      for {want, i} <- results do
        code =
          lines
          |> Enum.take(i)
          |> Enum.reject(&String.starts_with?(&1, "#=>"))
          |> Enum.join("\n")
          |> String.replace("Lockstep.History.op(", "#{inspect(History)}.op(")

        # (Warnings about values a sample shows but does not use go.)
        got =
          ExUnit.CaptureIO.with_io(:stderr, fn ->
            {value, _} = Code.eval_string(code, history: make_ref())
            inspect(value, limit: :infinity, width: 10_000)
          end)

        assert elem(got, 0) == want, code
      end
    end
  end

  test "README: .ci/run runs exactly the README's test command" do
    readme = File.read!(Path.join(@root, "README.md"))
    [_, command] = Regex.run(~r/^(mix test\S*(?: \S+)*?)\s+# the tests/m, readme)
    ci = File.read!(Path.join(@root, ".ci/run"))
    assert command in String.split(ci, "\n")
  end
end
