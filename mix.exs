defmodule Mix.Tasks.Compile.LockstepNative do
  @shortdoc "Builds the Rust NIF with cargo and copies it to priv/native"
  @moduledoc """
  Compiles `native/lockstep_nif` with `cargo build --release` and copies the
  shared library to `priv/native/liblockstep_nif.so`, where
  `Lockstep.Generator.Native` loads it. Defined here because lib/ is not
  compiled yet when compilers run. Cargo decides what is stale; the copy only
  happens when the library changed.

  Quiet: cargo's output never goes to stdout (a project depending on this one
  by path runs this compiler on every mix command, and `mix lockstep.gen … >
  ops.tsv` must get ops only). When cargo has nothing to rebuild nothing is
  printed; when it compiles something its output goes to stderr; on failure
  all of it goes to stderr. `CARGO_TARGET_DIR` is honoured (default:
  `target/` of this project).

  It also prepares the coexistence with the `lockstep` package (README, "In a
  Lockstep project"): when the top-level project depends on `:lockstep`, which
  ships its own `Lockstep.Generator`, it turns on the compiler option
  `ignore_module_conflict` so that whichever of the two compiles second does
  not warn "redefining module"; `Lockstep.Generator.Coexist` decides at run
  time which module runs.
  """
  use Mix.Task.Compiler

  @crate "lockstep_nif"

  @impl true
  def run(_args) do
    if lockstep_in_project?(), do: Code.put_compiler_option(:ignore_module_conflict, true)

    root = File.cwd!()
    target_dir = System.get_env("CARGO_TARGET_DIR") || Path.join(root, "target")

    cargo =
      System.find_executable("cargo") || Mix.raise("cargo not found: install Rust (see README)")

    args = ["build", "--release", "--locked", "-p", @crate]
    status = cargo(cargo, args, root, target_dir)
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

  # Runs cargo, holding its output back until it compiles something (then it
  # streams to stderr); on failure everything held back goes to stderr.
  defp cargo(cargo, args, root, target_dir) do
    port =
      Port.open({:spawn_executable, cargo}, [
        :binary,
        :exit_status,
        :stderr_to_stdout,
        {:line, 65_536},
        args: args,
        cd: root,
        env: [{~c"CARGO_TARGET_DIR", String.to_charlist(target_dir)}]
      ])

    cargo_loop(port, [], false)
  end

  defp cargo_loop(port, held, streaming?) do
    receive do
      {^port, {:data, {eol, chunk}}} ->
        line = if eol == :eol, do: chunk <> "\n", else: chunk

        cond do
          streaming? ->
            IO.write(:stderr, line)
            cargo_loop(port, held, true)

          line =~ ~r/^\s*Compiling / ->
            IO.write(:stderr, [Enum.reverse(held), line])
            cargo_loop(port, [], true)

          true ->
            cargo_loop(port, [line | held], false)
        end

      {^port, {:exit_status, 0}} ->
        0

      {^port, {:exit_status, status}} ->
        IO.write(:stderr, Enum.reverse(held))
        status
    end
  end

  # Whether the top-level project (the bottom of Mix's project stack) declares
  # a `:lockstep` dependency. Mix.ProjectStack is Mix's internal API: when it
  # is not there, the answer is no (the warning may then show, nothing else).
  defp lockstep_in_project? do
    with true <- function_exported?(Mix.ProjectStack, :top_and_bottom, 0),
         {_top, %{config: config}} <- Mix.ProjectStack.top_and_bottom() do
      Enum.any?(config[:deps] || [], &(is_tuple(&1) and elem(&1, 0) == :lockstep))
    else
      _ -> false
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

  # `mix lockstep.gen` prints ops on stdout, and only ops: when it is the
  # task run, Mix's own messages (the first run compiles this package, and
  # prints "==> lockstep_generator", "Compiling N files (.ex)", ...) go to
  # stderr. This file is read before anything is compiled, as is every
  # dependency's, so this is the one place early enough.
  @stderr_shell Lockstep.Generator.MixProject.StderrShell

  defp stderr_shell_for_lockstep_gen do
    with ["lockstep.gen" | _] <- System.argv(),
         Mix.Shell.IO <- Mix.shell() do
      Mix.shell(stderr_shell())
    end
  end

  # `mix xref` prints its report on stdout (`graph --format cycles`: "No
  # cycles found" and nothing else); the compile it starts with prints
  # there too, so it runs first, its messages on stderr.
  defp compile_to_stderr(_args) do
    shell = Mix.shell()
    Mix.shell(stderr_shell())

    try do
      Mix.Task.run("compile")
    after
      Mix.shell(shell)
    end
  end

  # A Mix shell that writes Mix's messages to stderr.
  defp stderr_shell do
    unless :erlang.module_loaded(@stderr_shell) do
      Module.create(
        @stderr_shell,
        quote do
          @moduledoc false
          @behaviour Mix.Shell
          def info(message), do: IO.puts(:stderr, IO.ANSI.format(message))
          def error(message), do: Mix.Shell.IO.error(message)
          def prompt(message), do: Mix.Shell.IO.prompt(message)
          def yes?(message), do: Mix.Shell.IO.yes?(message)
          def yes?(message, opts), do: apply(Mix.Shell.IO, :yes?, [message, opts])

          def print_app do
            if name = Mix.Shell.printable_app_name(), do: info("==> #{name}")
            :ok
          end

          def cmd(command, opts \\ []),
            do: Mix.Shell.cmd(command, opts, &IO.write(:stderr, &1))
        end,
        Macro.Env.location(__ENV__)
      )
    end

    @stderr_shell
  end

  def project do
    stderr_shell_for_lockstep_gen()

    [
      app: :lockstep_generator,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      compilers: [:lockstep_native | Mix.compilers()],
      elixirc_paths: elixirc_paths(Mix.env()),
      deps: [],
      docs: [main: "Lockstep.Generator"],
      aliases: [xref: [&compile_to_stderr/1, "xref"]],
      description:
        "Deterministic, seeded, reproducible op streams for Jepsen-style tests, on a Rust NIF"
    ]
  end

  def application do
    # The application callback only makes sure this package's
    # Lockstep.Generator is the one loaded (see Lockstep.Generator.Coexist).
    [mod: {Lockstep.Generator.Application, []}, extra_applications: []]
  end

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]
end
