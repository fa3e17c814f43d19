defmodule Lockstep.DistributionTest do
  # A second BEAM (a :peer over standard_io: no epmd, no distribution) runs the
  # same generators; terms travel through the peer's term_to_binary channel.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Native

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str"]

  setup_all do
    args = Enum.flat_map(:code.get_path(), &[~c"-pa", &1])
    {:ok, peer, _node} = :peer.start(%{connection: :standard_io, args: args})
    on_exit(fn -> :peer.stop(peer) end)
    %{peer: peer}
  end

  defp remote(peer, m, f, a), do: :peer.call(peer, m, f, a, 30_000)

  defp random, do: G.random(@pool, seed: 42)

  defp weighted do
    G.weighted(for(i <- 1..5000, do: {{:op, i}, rem(i * 31, 17)}), seed: "w")
  end

  defp mix do
    G.mix([
      G.fork(random(), 1),
      G.fork(weighted(), 2),
      G.cycle([:a, :b]),
      G.mix([G.take(G.fork(weighted(), 3), 40), random()], until: :all)
    ])
  end

  test "the peer is another VM that loads our app and NIF", %{peer: peer} do
    refute remote(peer, :os, :getpid, []) == :os.getpid()

    assert remote(peer, :code, :priv_dir, [:lockstep_generator]) ==
             :code.priv_dir(:lockstep_generator)

    # A NIF answers there (a stub would raise :nif_not_loaded).
    assert remote(peer, Native, :fork_stream, [0, {0, 0}]) == Native.fork_stream(0, {0, 0})
  end

  test "a forked random generator gives the same ops on the peer", %{peer: peer} do
    for key <- [0, 7, :worker, {:w, 1}] do
      gen = G.fork(random(), key)
      local = Enum.to_list(G.take(gen, 300))
      assert remote(peer, Enum, :to_list, [G.take(gen, 300)]) == local
      assert remote(peer, Lockstep.GeneratorHelpers, :walk, [gen, 300]) == local
      assert remote(peer, Lockstep.GeneratorHelpers, :reduce_list, [G.take(gen, 300)]) == local
    end
  end

  test "a forked weighted generator: its stale table is rebuilt on the peer", %{peer: peer} do
    gen = G.fork(weighted(), 5)
    table = gen.engine.table
    assert Native.table_live(table)
    # The reference arrives, but is not a table of the peer's VM.
    refute remote(peer, Native, :table_live, [table])

    local = Enum.to_list(G.take(gen, 300))
    assert remote(peer, Enum, :to_list, [G.take(gen, 300)]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :walk, [gen, 300]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :reduce_list, [G.take(gen, 300)]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :each_list, [G.take(gen, 300)]) == {local, 300}

    # Far into the stream, too.
    far = G.drop(gen, 1_000_000_000)
    assert remote(peer, Enum, :to_list, [G.take(far, 300)]) == Enum.to_list(G.take(far, 300))
  end

  test "a mix of forked children gives the same ops on the peer", %{peer: peer} do
    gen = mix()
    local = walk(gen, 1000)
    assert remote(peer, Enum, :to_list, [G.take(gen, 1000)]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :reduce_list, [G.take(gen, 1000)]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :walk, [gen, 1000]) == local
    assert remote(peer, Enum, :count, [G.take(gen, 1000)]) == 1000
  end

  test "a weighted random-strategy mix: its stale picker table is rebuilt on the peer", %{
    peer: peer
  } do
    gen =
      G.mix([G.fork(random(), 1), weighted(), G.cycle([:a])],
        strategy: :random,
        seed: 3,
        weights: [5, 1, 2]
      )
      |> G.fork(:w)

    local = walk(gen, 1000)
    assert remote(peer, Enum, :to_list, [G.take(gen, 1000)]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :walk, [gen, 1000]) == local
    assert remote(peer, Lockstep.GeneratorHelpers, :reduce_list, [G.take(gen, 1000)]) == local
  end

  test "fork and split on the peer equal fork and split here", %{peer: peer} do
    for gen <- [random(), weighted(), mix()] do
      [r0, r1, r2] = remote(peer, G, :split, [gen, 3])
      assert Enum.map([r0, r1, r2], &walk(&1, 200)) == Enum.map(G.split(gen, 3), &walk(&1, 200))
      rf = remote(peer, G, :fork, [gen, {:worker, 9}])
      assert walk(rf, 200) == walk(G.fork(gen, {:worker, 9}), 200)
    end
  end

  test "a generator advanced on the peer continues here, and back", %{peer: peer} do
    for gen <- [G.fork(random(), 3), G.fork(weighted(), 3), mix()] do
      expected = walk(gen, 900)

      # 100 ops there (leaving a prefetch buffer and, for weighted, the peer's
      # table in the struct), then the rest here.
      {there, gen1} = remote(peer, Lockstep.GeneratorHelpers, :advance, [gen, 100])
      {here, gen2} = advance(gen1, 400)
      {there2, _gen3} = remote(peer, Lockstep.GeneratorHelpers, :advance, [gen2, 400])
      assert there ++ here ++ there2 == expected

      # drop/2 on the peer, ops here.
      dropped = remote(peer, G, :drop, [gen, 450])
      assert walk(dropped, 450) == Enum.drop(expected, 450)
      assert reduce_list(G.take(dropped, 450)) == Enum.drop(expected, 450)
    end
  end
end
