defmodule Lockstep.IndependentJunkTest do
  # Malformed independent-keys specs handed to the NIF answer {:error, _} (or
  # ops, for a well-formed one), never crash the VM: bad layouts, keys, pools
  # too short for the key and final picks, key positions past the key list.
  use ExUnit.Case, async: true

  alias Lockstep.Generator.Native

  @leaf {:leaf, :random, 3, {0, 1}, 0, 0, :infinity}
  @ops {:ops, 10, :plain, :untagged, :state}

  defp run(spec, pools), do: Native.run(spec, pools, @ops)

  test "bad specs are errors" do
    pools = [{:a, :b, :c}, {:k0, :k1}, {:f}]
    layout = {4, 2, 1, 1, 0, 0}

    for spec <- [
          {:independent, @leaf, {:naturals, 0}, {4, 0, 1, 1, 0, 0}, 0, :infinity},
          {:independent, @leaf, {:naturals, 0}, {4, 2, 1, 0, 0, 0}, 0, :infinity},
          {:independent, @leaf, {:naturals, 0}, {4, 2, 1, 2, 2, 0}, 0, :infinity},
          {:independent, @leaf, {:naturals, 0}, {4, 2, 1, 1, 0, 2}, 0, :infinity},
          {:independent, @leaf, {:naturals, 0}, {4, 2, 1}, 0, :infinity},
          {:independent, @leaf, [], layout, 0, :infinity},
          {:independent, @leaf, [{0, 1} | :tail], layout, 0, :infinity},
          {:independent, @leaf, [{-1, 1}], layout, 0, :infinity},
          {:independent, @leaf, :bogus, layout, 0, :infinity},
          {:independent, @leaf, :naturals, layout, 0, :infinity},
          {:independent, @leaf, {:naturals, -1}, layout, 0, :infinity},
          {:independent, @leaf, {:bogus, 0}, layout, 0, :infinity},
          {:independent, :junk, {:naturals, 0}, layout, 0, :infinity},
          {:independent, @leaf, {:naturals, 0}, layout, -1, :infinity},
          {:independent, @leaf, {:naturals, 0}, layout, 0, :lots},
          # Final picks past the pools given.
          {:independent, @leaf, {:naturals, 0}, {4, 1, 9, 1, 0, 0}, 0, :infinity}
        ] do
      assert {:error, reason} = run(spec, pools), inspect(spec)
      assert is_binary(reason)
    end
  end

  test "listed keys end the worker when its remaining says otherwise" do
    spec = {:independent, @leaf, [{0, 0}, {0, 1}], {1, 1, 0, 1, 0, 0}, 0, 100}
    assert {:ok, {ops, [], 2, []}} = run(spec, [{:a, :b, :c}, {:k0, :k1}, {}])
    assert Enum.map(ops, & &1.key) == [:k0, :k1]
  end

  test "huge layouts and positions give ops" do
    max = 18_446_744_073_709_551_615
    spec = {:independent, @leaf, {:naturals, 0}, {max, 7, 0, max, max - 1, 6}, max, :infinity}
    assert {:ok, {[_ | _] = ops, [], _, []}} = run(spec, [{:a, :b, :c}, {}, {}])
    assert Enum.all?(ops, &(is_integer(&1.key) and &1.op in [:a, :b, :c]))

    # Final ops no pool holds.
    spec = {:independent, @leaf, {:naturals, 0}, {max, 1, max, 3, 2, 0}, max, :infinity}
    assert {:error, _} = run(spec, [{:a, :b, :c}, {}, {}])
  end
end
