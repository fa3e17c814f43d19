defmodule Lockstep.SeedCollisionTest do
  # Non-integer seeds and fork keys are reduced to 64 bits (docs/STREAM.md,
  # section 1; at 32 bits, as they once were, 800,000 tuple seeds gave 75
  # pairs of identical streams): among 10^6 keys a collision has probability
  # about 2.7e-8, so any collision is a defect. The reduced keys are compared
  # (equal keys <=> equal streams).
  use ExUnit.Case, async: true

  import Bitwise

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Seed}

  @tag timeout: 120_000
  test "10^6 tuple seeds {iter, worker}: 0 collisions" do
    keys = for iter <- 1..1000, worker <- 1..1000, do: Seed.key({iter, worker})
    assert Enum.all?(keys, &match?({2, v} when v < 1 <<< 64, &1))
    assert collisions(keys) == 0
    # The old 32-bit reduction of the same terms, for scale (~116 expected).
    old = for iter <- 1..1000, worker <- 1..1000, do: :erlang.phash2({iter, worker}, 1 <<< 32)
    assert collisions(old) > 50
  end

  @tag timeout: 120_000
  test "10^6 fork keys: 0 collisions of keys and of stream ids" do
    keys = for i <- 1..1_000_000, do: {:worker, i}
    assert collisions(Enum.map(keys, &Seed.key/1)) == 0

    # The stream ids fork/2 derives from them (ChaCha, 64 bits) for the first
    # 200,000: distinct too.
    streams = for k <- Enum.take(keys, 200_000), do: Native.fork_stream(0, Seed.key(k))
    assert collisions(streams) == 0
    strings = for i <- 1..1_000_000, do: Seed.key("worker-#{i}")
    assert collisions(strings) == 0
  end

  test "the reduction is the documented one" do
    for term <- [:foo, "abc", {1, 2}, 1.5, nil, [1, 2], 1 <<< 64, -(1 <<< 63) - 1] do
      hi = :erlang.phash2({1, term}, 1 <<< 32)
      lo = :erlang.phash2({2, term}, 1 <<< 32)
      assert Seed.key(term) == {2, hi * (1 <<< 32) + lo}
    end
  end

  test "default seeds are drawn from 64 bits: 10^6 of them, no repeat" do
    seeds = for _ <- 1..1_000_000, do: Seed.generate()
    assert collisions(seeds) == 0
    assert Enum.max(seeds) > 1 <<< 60
    assert is_integer(G.random([:a]).seed)
  end

  defp collisions(list), do: length(list) - map_size(Map.new(list, &{&1, true}))
end
