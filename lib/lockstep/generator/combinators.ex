defmodule Lockstep.Generator.Combinators do
  @moduledoc false
  # Combinators defined each in one file of lib/lockstep/generator/
  # combinators/: `chunk.ex` is the kind `:chunk` and the module
  # Lockstep.Generator.Combinators.Chunk. Nothing lists them: the files
  # are found at compile time, and
  #
  #   * `use Lockstep.Generator.Combinators` (in Lockstep.Generator) defines
  #     each one's public function, its @doc and @spec, from its
  #     `__facade__/0`;
  #   * `module/1` maps a kind to its module, for the rest of the Elixir
  #     side, which handles every such combinator the same way through the
  #     callbacks below: Spec (its engine spec: `{:combinator, kind, params,
  #     remaining, children}`), Inspect, Recipe (and so save/load), Supply,
  #     Malformed, Tree. Walks over `children` (fork/2, split/2, compact/1,
  #     stale tables) need nothing.
  #
  # A combinator's node is a `Settings.Composite` whose `strategy` is the
  # combinator's own settings struct (its module); the engine composes it
  # (native/lockstep_engine/src/composite.rs runs its rule, found by name in
  # combinators.rs) and the driver buffers, skips and writes it back as it
  # does a mix, concat or zip. docs/DESIGN.md, "Adding a combinator".

  @dir Path.join(__DIR__, "combinators")
  @files @dir |> Path.join("*.ex") |> Path.wildcard() |> Enum.sort()
  for file <- @files, do: @external_resource(file)

  @modules Map.new(@files, fn file ->
             name = Path.basename(file, ".ex")
             {String.to_atom(name), Module.concat(__MODULE__, Macro.camelize(name))}
           end)

  @kind_type (case Map.keys(@modules) do
                [] -> quote(do: none())
                kinds -> kinds |> Enum.sort() |> Enum.reduce(&{:|, [], [&2, &1]})
              end)

  # The combinator kinds (part of Lockstep.Generator.t/0's `kind`).
  @type kind :: unquote(@kind_type)

  @doc false
  # Recompiles (and so the facade) when a combinator file comes or goes.
  def __mix_recompile__? do
    @dir |> Path.join("*.ex") |> Path.wildcard() |> Enum.sort() != @files
  end

  # ---------------------------------------------------------------- callbacks

  @doc false
  # The public function(s), quoted, that `use` puts in Lockstep.Generator:
  # @doc (with doctests), @spec and a `def` calling the module's constructor.
  @callback __facade__() :: Macro.t()

  @doc false
  # The engine's parameters (at most 16 non-negative integers below 2^64);
  # its rule in native/lockstep_engine/src/combinators/ reads them.
  @callback params(settings :: struct()) :: [non_neg_integer()]

  @doc false
  # How recipe/1 (and save/2) writes it: whether the constructor takes one
  # child or a list, and the arguments after it (literals). load/1 calls
  # `new/N` with the child (or list) and those arguments.
  @callback recipe(settings :: struct()) :: {:one | :list, [term()]}

  @doc false
  # What inspect/1 shows of its settings, after the kind.
  @callback inspect_fields(settings :: struct()) :: keyword()

  @doc false
  # The most ops of a child one op takes (a supply of k ops pulls k times
  # this ahead of a child the engine cannot run).
  @callback child_ops(settings :: struct()) :: pos_integer()

  @doc false
  # Whether `term` is a generator, as a guard. Combinator modules compile
  # before Lockstep.Generator (its `use` reads their facades), so they can
  # neither match its struct nor name it as an alias (a runtime reference
  # to the facade, which calls them: a cycle for `mix xref`); the module is
  # written here once as a plain atom.
  defguard generator?(term) when is_struct(term, :"Elixir.Lockstep.Generator")

  # ---------------------------------------------------------------- registry

  @doc false
  # The module of a combinator kind, or nil.
  @spec module(atom()) :: module() | nil
  def module(kind), do: Map.get(@modules, kind)

  @doc false
  # Every combinator kind.
  @spec kinds() :: [atom()]
  def kinds, do: Map.keys(@modules)

  @doc false
  # The public functions of every combinator, for Lockstep.Generator.
  defmacro __using__(_opts) do
    for {_kind, module} <- Enum.sort(@modules), do: module.__facade__()
  end
end
