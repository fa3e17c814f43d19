defmodule Lockstep.Generator.OptionsTest do
  # The option and argument checks shared by the constructors: what passes
  # comes back as given, and every failure is an ArgumentError naming the
  # function and the argument.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Options, Workloads}
  require Options

  describe "keyword!/3" do
    test "known options come back as given, in order" do
      assert Options.keyword!([], [:seed], "f/2") == []
      assert Options.keyword!([seed: 1], [:seed], "f/2") == [seed: 1]

      assert Options.keyword!([until: :all, seed: 2, seed: 3], [:seed, :until], "f/2") ==
               [until: :all, seed: 2, seed: 3]
    end

    test "an unknown option is named, with the supported ones" do
      for opts <- [[foo: 1], [seed: 1, foo: 1]] do
        error =
          assert_raise ArgumentError, fn -> Options.keyword!(opts, [:seed, :until], "f/2") end

        assert error.message == "f/2 got unknown option :foo; supported: :seed, :until"
      end
    end

    test "anything but a proper keyword list is named as such" do
      for bad <- [
            :seed,
            %{seed: 1},
            [1],
            [{"seed", 1}],
            [{:seed, 1} | :x],
            [{:a, 1}, {:b, 2} | 3],
            [:seed]
          ] do
        error =
          assert_raise ArgumentError, fn -> Options.keyword!(bad, [:seed, :a, :b], "f/2") end

        assert error.message == "f/2 expects options as a keyword list, got: #{inspect(bad)}"
      end
    end

    test "the constructors reject improper option lists with an ArgumentError" do
      for build <- [
            fn -> G.random([:a], [{:seed, 1} | :x]) end,
            fn -> G.zipf(10, [{:skew, 1.0}, {:seed, 2} | :x]) end,
            fn -> G.mix([G.cycle([:a])], [{:until, :all} | 3]) end,
            fn -> Workloads.register([{:seed, 1} | :x]) end
          ] do
        assert_raise ArgumentError, ~r/keyword list/, build
      end
    end
  end

  describe "ops!/3" do
    test "a non-empty proper list comes back; anything else is named" do
      assert Options.ops!([:a], "ops", "f/2") == [:a]

      for bad <- [[], :a, [:a | :b], {:a}, %{}] do
        error = assert_raise ArgumentError, fn -> Options.ops!(bad, "ops", "f/2") end
        assert error.message == "f/2 expects ops to be a non-empty list, got: #{inspect(bad)}"
      end
    end
  end

  describe "skew!/3" do
    test "a number >= 0 as a float" do
      assert Options.skew!(0, "f/2", ":skew") === 0.0
      assert Options.skew!(2, "f/2", ":skew") === 2.0
      assert Options.skew!(1.5, "f/2", ":skew") === 1.5
    end

    test "negative numbers, non-numbers and bignums past a float are named" do
      for bad <- [-1, -0.5, :one, "1", nil, Integer.pow(10, 400)] do
        error = assert_raise ArgumentError, fn -> Options.skew!(bad, "f/2", ":skew") end
        assert error.message == "f/2 expects :skew to be a number >= 0, got: #{inspect(bad)}"
      end
    end
  end

  describe "int!/5" do
    test "the option, or the default, when an integer in the range" do
      assert Options.int!([n: 3], :n, 1, 1..5, "f/1") == 3
      assert Options.int!([], :n, 1, 1..5, "f/1") == 1
      assert Options.int!([n: 1], :n, 2, 1..5, "f/1") == 1
      assert Options.int!([n: 5], :n, 2, 1..5, "f/1") == 5
    end

    test "out of range or not an integer is named with the range" do
      for bad <- [0, 6, -1, 2.0, :three, nil, Integer.pow(2, 100)] do
        error = assert_raise ArgumentError, fn -> Options.int!([n: bad], :n, 1, 1..5, "f/1") end
        assert error.message == "f/1 expects :n to be an integer in 1..5, got: #{inspect(bad)}"
      end
    end
  end
end
