defmodule Lockstep.GeneratorDoctestTest do
  use ExUnit.Case, async: true
  doctest Lockstep.Generator
  doctest Lockstep.Generator.Workloads
end
