defmodule Mix.Tasks.Compile.LockstepNative do
  @shortdoc "Builds the Rust NIF with cargo and copies it to priv/native"
  @moduledoc """
  Compiles `native/lockstep_nif` with `cargo build --release` and copies the
  shared library to `priv/native/liblockstep_nif.so`, where
  `Lockstep.Generator.Native` loads it. Defined here because lib/ is not
  compiled yet when compilers run. Cargo decides what is stale; the copy only
  happens when the library changed.
  """
  use Mix.Task.Compiler

  @crate "lockstep_nif"

  @impl true
  def run(_args) do
    root = File.cwd!()
    target_dir = Path.join(root, "target")

    cargo =
      System.find_executable("cargo") || Mix.raise("cargo not found: install Rust (see README)")

    {_, status} =
      System.cmd(cargo, ["build", "--release", "--locked", "-p", @crate],
        cd: root,
        env: [{"CARGO_TARGET_DIR", target_dir}],
        into: IO.stream(:stdio, :line),
        stderr_to_stdout: true
      )

    if status != 0, do: Mix.raise("cargo build failed (exit #{status})")

    src = Path.join([target_dir, "release", "lib#{@crate}.#{lib_ext()}"])
    dest_dir = Path.join(Mix.Project.app_path(), "priv/native")
    dest = Path.join(dest_dir, "lib#{@crate}.so")
    File.mkdir_p!(dest_dir)

    if stale?(src, dest) do
      File.cp!(src, dest)
      {:ok, []}
    else
      {:noop, []}
    end
  end

  defp stale?(src, dest) do
    not File.exists?(dest) or File.read!(src) != File.read!(dest)
  end

  defp lib_ext do
    case :os.type() do
      {:unix, :darwin} -> "dylib"
      _ -> "so"
    end
  end
end

defmodule Lockstep.Generator.MixProject do
  use Mix.Project

  def project do
    [
      app: :lockstep_generator,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      compilers: [:lockstep_native | Mix.compilers()],
      elixirc_paths: elixirc_paths(Mix.env()),
      deps: [],
      docs: [main: "Lockstep.Generator"],
      description:
        "Deterministic, seeded, reproducible op streams for Jepsen-style tests, on a Rust NIF"
    ]
  end

  def application do
    [extra_applications: []]
  end

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]
end
