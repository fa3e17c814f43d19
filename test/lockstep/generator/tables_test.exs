defmodule Lockstep.Generator.TablesTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Tables}

  test "table_for/2: short weight lists go inline, long ones get a live table" do
    assert Tables.table_for(List.duplicate(1, 10), "f") == nil
    table = Tables.table_for(List.duplicate(1, 1000), "f")
    assert Native.table_live(table)
  end

  test "rebuild/1: a dead table is made again, the same ops follow, live ones are kept" do
    w = for i <- 1..1000, do: {i, rem(i, 7) + 1}
    gen = G.weighted(w, seed: 3)
    dead = put_in(gen.engine.table, make_ref())
    refute Native.table_live(dead.engine.table)

    rebuilt = Tables.rebuild(G.mix([dead, G.cycle([:x])]))
    [child, _] = rebuilt.children
    assert Native.table_live(child.engine.table)
    assert Enum.take(rebuilt, 200) == Enum.take(G.mix([gen, G.cycle([:x])]), 200)
    assert Tables.rebuild(gen).engine.table === gen.engine.table
  end
end
