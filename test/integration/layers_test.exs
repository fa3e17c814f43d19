defmodule Lockstep.LayersTest do
  # The Elixir side is layered (docs/DESIGN.md, "The Elixir side"): no
  # module below Lockstep.Generator calls it, and the calls between the
  # application's modules go one way. Read from the compiled modules'
  # imports (the remote calls each one makes), the same calls
  # `mix xref graph --format cycles --label runtime` follows.
  use ExUnit.Case, async: true

  @facade Lockstep.Generator
  # The facade, and what stands beside it and calls it.
  @top [
    Lockstep.Generator,
    Enumerable.Lockstep.Generator,
    Inspect.Lockstep.Generator,
    Mix.Tasks.Lockstep.Gen
  ]

  # The modules of lib/ (in the test build, test/support's are compiled
  # into the application too).
  defp modules do
    {:ok, mods} = :application.get_key(:lockstep_generator, :modules)
    lib = Path.expand("../../lib", __DIR__)
    for mod <- mods, String.starts_with?(source(mod), lib <> "/"), do: mod
  end

  defp source(mod), do: mod.module_info(:compile) |> Keyword.fetch!(:source) |> List.to_string()

  # The application's modules that `mod` calls (not itself).
  defp calls(mod, mods) do
    {:ok, {^mod, [imports: imports]}} = :beam_lib.chunks(:code.which(mod), [:imports])
    for {callee, _fun, _arity} <- imports, callee in mods, callee != mod, uniq: true, do: callee
  end

  test "the imports are read: Workloads and Recipe build through Build" do
    mods = modules()
    assert Lockstep.Generator.Build in calls(Lockstep.Generator.Workloads, mods)
    assert Lockstep.Generator.Build in calls(Lockstep.Generator.Recipe, mods)
    assert Lockstep.Generator.Build in calls(@facade, mods)
  end

  test "no module below Lockstep.Generator calls it" do
    mods = modules()

    callers = for mod <- mods -- @top, @facade in calls(mod, mods), do: mod
    assert callers == []
  end

  test "the calls between the modules below the facade have no circle" do
    mods = modules()
    below = mods -- @top
    graph = :digraph.new()

    try do
      Enum.each(below, &:digraph.add_vertex(graph, &1))
      for mod <- below, callee <- calls(mod, below), do: :digraph.add_edge(graph, mod, callee)

      circles = for c <- :digraph_utils.cyclic_strong_components(graph), do: Enum.sort(c)
      assert circles == []
    after
      :digraph.delete(graph)
    end
  end
end
