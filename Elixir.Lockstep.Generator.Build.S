{module, 'Elixir.Lockstep.Generator.Build'}.  %% version = 0

{exports, [{'__info__',1},
           {'__value__',4},
           {combinator,4},
           {concat,1},
           {counter,0},
           {counter,1},
           {cycle,1},
           {drop,2},
           {filter,2},
           {filter,3},
           {fork,2},
           {independent,1},
           {independent,2},
           {integers,1},
           {integers,2},
           {map,2},
           {mix,1},
           {mix,2},
           {module_info,0},
           {module_info,1},
           {only_keys,2},
           {random,1},
           {random,2},
           {select,2},
           {split,2},
           {take,2},
           {weighted,1},
           {weighted,2},
           {zip,1},
           {zipf,1},
           {zipf,2}]}.

{attributes, []}.

{labels, 246}.


{function, '__info__', 1, 2}.
  {label,1}.
    {line,[]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,'__info__'},1}.
  {label,2}.
    {select_val,{x,0},
                {f,9},
                {list,[{atom,attributes},
                       {f,8},
                       {atom,compile},
                       {f,8},
                       {atom,deprecated},
                       {f,7},
                       {atom,exports_md5},
                       {f,6},
                       {atom,functions},
                       {f,5},
                       {atom,macros},
                       {f,7},
                       {atom,md5},
                       {f,8},
                       {atom,module},
                       {f,4},
                       {atom,struct},
                       {f,3}]}}.
  {label,3}.
    {move,{atom,nil},{x,0}}.
    return.
  {label,4}.
    {move,{atom,'Elixir.Lockstep.Generator.Build'},{x,0}}.
    return.
  {label,5}.
    {move,{literal,[{'__value__',4},
                    {combinator,4},
                    {concat,1},
                    {counter,0},
                    {counter,1},
                    {cycle,1},
                    {drop,2},
                    {filter,2},
                    {filter,3},
                    {fork,2},
                    {independent,1},
                    {independent,2},
                    {integers,1},
                    {integers,2},
                    {map,2},
                    {mix,1},
                    {mix,2},
                    {only_keys,2},
                    {random,1},
                    {random,2},
                    {select,2},
                    {split,2},
                    {take,2},
                    {weighted,1},
                    {weighted,2},
                    {zip,1},
                    {zipf,1},
                    {zipf,2}]},
          {x,0}}.
    return.
  {label,6}.
    {move,{literal,<<121,25,48,244,17,48,225,238,153,28,156,39,159,72,40,47>>},
          {x,0}}.
    return.
  {label,7}.
    {move,nil,{x,0}}.
    return.
  {label,8}.
    {move,{x,0},{x,1}}.
    {move,{atom,'Elixir.Lockstep.Generator.Build'},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.
  {label,9}.
    {call_only,1,{f,245}}. % '-inlined-__info__/1-'/1


{function, '__value__', 4, 11}.
  {label,10}.
    {line,[{location,"lib/lockstep/generator/build.ex",384}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,'__value__'},4}.
  {label,11}.
    {allocate,5,4}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,3},{y,1}}.
    {move,{x,2},{y,2}}.
    {move,{x,1},{y,3}}.
    {move,{x,0},{y,4}}.
    {test,is_eq_exact,{f,12},[{x,0},{atom,counter}]}.
    {move,{literal,{0,0}},{y,0}}.
    {jump,{f,13}}.
  {label,12}.
    {move,{x,3},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",386}]}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',key,1}}.
    {move,{x,0},{y,0}}.
  {label,13}.
    {test,is_tuple,{f,14},[{y,2}]}.
    {move,{y,2},{x,0}}.
    {jump,{f,15}}.
  {label,14}.
    {move,{y,2},{x,0}}.
    {init_yregs,{list,[{y,2}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",387}]}.
    {call_ext,1,{extfunc,erlang,list_to_tuple,1}}.
  {label,15}.
    {put_map_assoc,{f,0},
                   {literal,#{}},
                   {x,0},
                   1,
                   {list,[{atom,'__struct__'},
                          {atom,'Elixir.Lockstep.Generator.Settings.Value'},
                          {atom,forks},
                          nil,
                          {atom,key},
                          {y,0},
                          {atom,params},
                          {y,3},
                          {atom,pool},
                          {x,0},
                          {atom,stream},
                          {integer,0}]}}.
    {put_map_assoc,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,next_child => nil,
                              ops => nil,pos => 0,remaining => infinity,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,engine},
                          {x,0},
                          {atom,kind},
                          {y,4},
                          {atom,seed},
                          {y,1}]}}.
    {deallocate,5}.
    return.


{function, 'bad_wrap!', 3, 17}.
  {label,16}.
    {line,[{location,"lib/lockstep/generator/build.ex",325}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,'bad_wrap!'},3}.
  {label,17}.
    {'%',{var_info,{x,0},[{type,{t_bitstring,8}}]}}.
    {test,is_map,{f,18},[{x,1}]}.
    {get_map_elements,{f,18},
                      {tr,{x,1},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,3}]}}.
    {test,is_eq_exact,{f,18},[{x,3},{atom,'Elixir.Lockstep.Generator'}]}.
    {allocate,1,3}.
    {move,{x,0},{y,0}}.
    {move,{x,2},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",326}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,8,
                   {x,0},
                   {list,[{atom,append},
                          1,8,nil,
                          {tr,{y,0},{t_bitstring,8}},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<" expects a function of arity 1, got: ">>},
                          {integer,37},
                          {atom,binary},
                          3,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {trim,1,0}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,18}.
    {allocate,1,2}.
    {move,{x,0},{y,0}}.
    {move,{x,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",329}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,8,
                   {x,0},
                   {list,[{atom,append},
                          1,8,nil,
                          {tr,{y,0},{t_bitstring,8}},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<" expects a generator, got: ">>},
                          {integer,27},
                          {atom,binary},
                          3,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {trim,1,0}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, 'child!', 2, 20}.
  {label,19}.
    {line,[{location,"lib/lockstep/generator/build.ex",213}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,'child!'},2}.
  {label,20}.
    {test,is_map,{f,25},[{x,0}]}.
    {get_map_elements,{f,25},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,25},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {get_map_elements,{f,21},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,children},{x,2}]}}.
    {test,is_eq_exact,{f,21},[{x,2},{atom,nil}]}.
    {call_only,1,{f,172}}. % settled/1
  {label,21}.
    {allocate,2,2}.
    {move,{x,1},{y,0}}.
    {move,{x,0},{y,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",216}]}.
    {call,1,{f,55}}. % depth/1
    {'%',{var_info,{x,0},[{type,number}]}}.
    {test,is_ge,{f,24},[{tr,{x,0},number},{integer,64}]}.
    {test,is_binary,{f,22},[{y,0}]}.
    {move,{y,0},{y,1}}.
    {jump,{f,23}}.
  {label,22}.
    {move,{y,0},{x,0}}.
    {init_yregs,{list,[{y,0},{y,1}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",217}]}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {move,{x,0},{y,1}}.
  {label,23}.
    {move,{integer,64},{x,0}}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {bs_create_bin,{f,0},
                   0,1,8,
                   {x,0},
                   {list,[{atom,append},
                          1,8,nil,
                          {y,1},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<": generators nested deeper than ">>},
                          {integer,32},
                          {atom,binary},
                          3,8,nil,
                          {x,0},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<" levels">>},
                          {integer,7}]}}.
    {trim,2,0}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,24}.
    {move,{y,1},{x,0}}.
    {call_last,1,{f,172},2}. % settled/1
  {label,25}.
    {allocate,2,2}.
    {move,{x,1},{y,0}}.
    {move,{x,0},{y,1}}.
    {test,is_binary,{f,26},[{x,1}]}.
    {jump,{f,27}}.
  {label,26}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",224}]}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {move,{x,0},{y,0}}.
  {label,27}.
    {move,{y,1},{x,0}}.
    {move,{y,0},{y,1}}.
    {trim,1,1}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,8,
                   {x,0},
                   {list,[{atom,append},
                          1,8,nil,
                          {y,0},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<" expects a list of generators, got: ">>},
                          {integer,36},
                          {atom,binary},
                          3,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {trim,1,0}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, 'child_list!', 2, 29}.
  {label,28}.
    {line,[{location,"lib/lockstep/generator/build.ex",205}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,'child_list!'},
               2}.
  {label,29}.
    {test,is_nonempty_list,{f,31},[{x,0}]}.
    {allocate,4,2}.
    {move,{x,1},{y,2}}.
    {move,{x,0},{y,3}}.
    {get_list,{x,0},{y,1},{y,0}}.
    {move,{y,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",208}]}.
    {call,2,{f,20}}. % 'child!'/2
    {move,{y,0},{x,2}}.
    {move,{y,2},{x,1}}.
    {move,{x,0},{y,2}}.
    {move,{x,2},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",209}]}.
    {call,2,{f,29}}. % 'child_list!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {test,is_eq_exact,{f,30},[{y,2},{y,1}]}.
    {test,is_eq_exact,{f,30},[{tr,{x,0},{t_list,any,any}},{y,0}]}.
    {move,{y,3},{x,0}}.
    {deallocate,4}.
    return.
  {label,30}.
    {test_heap,2,1}.
    {put_list,{y,2},{x,0},{x,0}}.
    {deallocate,4}.
    return.
  {label,31}.
    {test,is_nil,{f,28},[{x,0}]}.
    return.


{function, 'children!', 2, 33}.
  {label,32}.
    {line,[{location,"lib/lockstep/generator/build.ex",197}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,'children!'},2}.
  {label,33}.
    {allocate,2,2}.
    {move,{x,1},{y,0}}.
    {move,{x,0},{y,1}}.
    {test,is_list,{f,34},[{x,0}]}.
    {gc_bif,length,{f,34},2,[{tr,{x,0},{t_list,any,any}}],{x,0}}.
    {test,is_lt,
          {f,34},
          [{integer,0},{tr,{x,0},{t_integer,{0,288230376151711743}}}]}.
    {move,{y,1},{x,0}}.
    {jump,{f,35}}.
  {label,34}.
    {move,{x,1},{x,2}}.
    {move,{literal,<<"gens">>},{x,1}}.
    {move,{y,1},{x,0}}.
    {init_yregs,{list,[{y,1}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",198}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','bad_ops!',3}}.
  {label,35}.
    {move,{y,0},{x,1}}.
    {call_last,2,{f,29},2}. % 'child_list!'/2


{function, combinator, 4, 37}.
  {label,36}.
    {line,[{location,"lib/lockstep/generator/build.ex",248}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,combinator},4}.
  {label,37}.
    {allocate,2,4}.
    {move,{x,2},{y,0}}.
    {move,{x,0},{y,1}}.
    {move,{x,1},{x,0}}.
    {move,{x,3},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",249}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",255}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' =>
                                  'Elixir.Lockstep.Generator.Settings.Composite',
                              ahead => nil,base_next_child => nil,forks => [],
                              frontier => nil,key => nil,refills => 0,
                              rpos => nil,strategy => round_robin,
                              stream => nil,table => nil,until => any}},
                   {x,1},
                   1,
                   {list,[{atom,strategy},{y,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",253}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => nil,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   2,
                   {list,[{atom,children},
                          {x,0},
                          {atom,engine},
                          {x,1},
                          {atom,kind},
                          {y,1}]}}.
    {deallocate,2}.
    return.


{function, composite_engine, 2, 39}.
  {label,38}.
    {line,[{location,"lib/lockstep/generator/build.ex",235}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,composite_engine},
               2}.
  {label,39}.
    {'%',{var_info,{x,0},[{type,{t_atom,[all,any]}}]}}.
    {'%',{var_info,{x,1},[{type,{t_atom,[concat,random,round_robin,zip]}}]}}.
    {move,{literal,#{'__struct__' =>
                         'Elixir.Lockstep.Generator.Settings.Composite',
                     ahead => nil,base_next_child => nil,forks => [],
                     frontier => nil,key => nil,refills => 0,rpos => nil,
                     strategy => round_robin,stream => nil,table => nil,
                     until => any}},
          {x,2}}.
    {get_map_elements,{f,40},{x,2},{list,[{atom,strategy},{x,2}]}}.
    {move,{literal,#{'__struct__' =>
                         'Elixir.Lockstep.Generator.Settings.Composite',
                     ahead => nil,base_next_child => nil,forks => [],
                     frontier => nil,key => nil,refills => 0,rpos => nil,
                     strategy => round_robin,stream => nil,table => nil,
                     until => any}},
          {x,3}}.
    {get_map_elements,{f,40},{x,3},{list,[{atom,until},{x,3}]}}.
    {test,is_eq_exact,
          {f,40},
          [{tr,{x,2},
               {t_union,{t_atom,['Elixir.Lockstep.Generator.Settings.Composite',
                                 any,nil,round_robin]},
                        nil,
                        {t_integer,{0,0}},
                        none,none}},
           {tr,{x,1},{t_atom,[concat,random,round_robin,zip]}}]}.
    {test,is_eq_exact,
          {f,40},
          [{tr,{x,3},
               {t_union,{t_atom,['Elixir.Lockstep.Generator.Settings.Composite',
                                 any,nil,round_robin]},
                        nil,
                        {t_integer,{0,0}},
                        none,none}},
           {tr,{x,0},{t_atom,[all,any]}}]}.
    {move,{literal,#{'__struct__' =>
                         'Elixir.Lockstep.Generator.Settings.Composite',
                     ahead => nil,base_next_child => nil,forks => [],
                     frontier => nil,key => nil,refills => 0,rpos => nil,
                     strategy => round_robin,stream => nil,table => nil,
                     until => any}},
          {x,0}}.
    return.
  {label,40}.
    {line,[{location,"lib/lockstep/generator/build.ex",238}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' =>
                                  'Elixir.Lockstep.Generator.Settings.Composite',
                              ahead => nil,base_next_child => nil,forks => [],
                              frontier => nil,key => nil,refills => 0,
                              rpos => nil,strategy => round_robin,
                              stream => nil,table => nil,until => any}},
                   {x,0},
                   2,
                   {list,[{atom,strategy},{x,1},{atom,until},{x,0}]}}.
    return.


{function, concat, 1, 42}.
  {label,41}.
    {line,[{location,"lib/lockstep/generator/build.ex",261}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,concat},1}.
  {label,42}.
    {allocate,1,1}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{literal,<<"concat/1">>},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",262}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {move,{x,0},{y,0}}.
    {move,{atom,concat},{x,1}}.
    {move,{atom,all},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",269}]}.
    {call,2,{f,39}}. % composite_engine/2
    {'%',
        {var_info,
            {x,0},
            [{type,
                 {t_map,
                     {t_atom,any},
                     {t_union,
                         {t_atom,any},
                         nil,
                         {t_integer,{0,0}},
                         none,none}}}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",266}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => concat,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,children},
                          {y,0},
                          {atom,engine},
                          {x,0},
                          {atom,next_child},
                          {integer,0}]}}.
    {deallocate,1}.
    return.


{function, counter, 0, 44}.
  {label,43}.
    {line,[{location,"lib/lockstep/generator/build.ex",372}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,counter},0}.
  {label,44}.
    {move,{integer,1},{x,0}}.
    {call_only,1,{f,46}}. % counter/1


{function, counter, 1, 46}.
  {label,45}.
    {line,[{location,"lib/lockstep/generator/build.ex",374}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,counter},1}.
  {label,46}.
    {test,is_integer,{f,47},[{x,0}]}.
    {test_heap,5,1}.
    {put_tuple2,{x,1},{list,[{atom,counter},{x,0},{integer,1},{integer,0}]}}.
    {move,nil,{x,2}}.
    {move,{atom,nil},{x,3}}.
    {move,{atom,counter},{x,0}}.
    {call_only,4,{f,11}}. % '__value__'/4
  {label,47}.
    {allocate,0,1}.
    {line,[{location,"lib/lockstep/generator/build.ex",378}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"counter/1 expects an integer start, got: ">>},
                          {integer,41},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, cycle, 1, 49}.
  {label,48}.
    {line,[{location,"lib/lockstep/generator/build.ex",57}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,cycle},1}.
  {label,49}.
    {allocate,1,1}.
    {move,{x,0},{y,0}}.
    {test,is_list,{f,50},[{x,0}]}.
    {gc_bif,length,{f,50},1,[{tr,{x,0},{t_list,any,any}}],{x,0}}.
    {test,is_ge,
          {f,51},
          [{integer,0},{tr,{x,0},{t_integer,{0,288230376151711743}}}]}.
  {label,50}.
    {move,{literal,<<"ops">>},{x,1}}.
    {move,{literal,<<"cycle/1">>},{x,2}}.
    {move,{y,0},{x,0}}.
    {init_yregs,{list,[{y,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",58}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','bad_ops!',3}}.
    {move,{x,0},{y,0}}.
  {label,51}.
    {gc_bif,length,{f,52},0,[{y,0}],{x,0}}.
    {test,is_ge,
          {f,52},
          [{integer,262144},{tr,{x,0},{t_integer,{0,288230376151711743}}}]}.
    {move,{y,0},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",520}]}.
    {call_ext,1,{extfunc,erlang,list_to_tuple,1}}.
    {jump,{f,53}}.
  {label,52}.
    {move,{y,0},{x,0}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Boundary',big_pool,1}}.
  {label,53}.
    {put_map_assoc,{f,0},
                   {literal,#{}},
                   {x,0},
                   1,
                   {list,[{atom,'__struct__'},
                          {atom,'Elixir.Lockstep.Generator.Settings.Leaf'},
                          {atom,forks},
                          nil,
                          {atom,key},
                          {literal,{0,0}},
                          {atom,pool},
                          {x,0},
                          {atom,stream},
                          {integer,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",60}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => cycle,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,engine},{x,0},{atom,ops},{y,0}]}}.
    {deallocate,1}.
    return.


{function, depth, 1, 55}.
  {label,54}.
    {line,[{location,"lib/lockstep/generator/build.ex",492}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,depth},1}.
  {label,55}.
    {test,is_map,{f,56},[{x,0}]}.
    {get_map_elements,{f,56},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,children},
                             {x,0},
                             {atom,'__struct__'},
                             {x,1}]}}.
    {test,is_eq_exact,{f,56},[{x,1},{atom,'Elixir.Lockstep.Generator'}]}.
    {test,is_nonempty_list,{f,56},[{x,0}]}.
    {allocate_heap,0,{alloc,[{words,0},{floats,0},{funs,1}]},1}.
    {make_fun3,{f,58},0,0,{x,2},{list,[]}}.
    {'%',
        {var_info,
            {x,2},
            [{fun_type,
                 {t_union,none,none,none,
                     [{{2,{t_atom,[cont]}},
                       {t_tuple,2,true,#{1 => {t_atom,[cont]}}}},
                      {{2,{t_atom,[halt]}},
                       {t_tuple,2,true,#{1 => {t_atom,[halt]}}}}],
                     none}}]}}.
    {move,{integer,0},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",493}]}.
    {call_ext,3,{extfunc,'Elixir.Enum',reduce_while,3}}.
    {gc_bif,'+',{f,0},1,[{x,0},{integer,1}],{x,0}}.
    {deallocate,0}.
    return.
  {label,56}.
    {move,{integer,0},{x,0}}.
    return.


{function, depth_step, 2, 58}.
  {label,57}.
    {line,[{location,"lib/lockstep/generator/build.ex",497}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,depth_step},2}.
  {label,58}.
    {allocate,1,2}.
    {move,{x,1},{y,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",498}]}.
    {call,1,{f,55}}. % depth/1
    {'%',{var_info,{x,0},[{type,number}]}}.
    {move,{x,0},{x,1}}.
    {move,{y,0},{x,0}}.
    {init_yregs,{list,[{y,0}]}}.
    {call_ext,2,{extfunc,erlang,max,2}}.
    {test,is_ge,{f,59},[{x,0},{integer,64}]}.
    {test_heap,3,1}.
    {put_tuple2,{x,0},{list,[{atom,halt},{x,0}]}}.
    {deallocate,1}.
    return.
  {label,59}.
    {test_heap,3,1}.
    {put_tuple2,{x,0},{list,[{atom,cont},{x,0}]}}.
    {deallocate,1}.
    return.


{function, drop, 2, 61}.
  {label,60}.
    {line,[{location,"lib/lockstep/generator/build.ex",479}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,drop},2}.
  {label,61}.
    {test,is_map,{f,71},[{x,0}]}.
    {get_map_elements,{f,71},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,71},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {test,is_integer,{f,70},[{x,1}]}.
    {test,is_ge,{f,70},[{tr,{x,1},{t_integer,any}},{integer,0}]}.
    {allocate,3,2}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,0},{y,1}}.
    {'try',{y,2},{f,62}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",480}]}.
    {call_ext,2,{extfunc,'Elixir.Lockstep.Generator.Driver',drop,2}}.
    {try_end,{y,2}}.
    {deallocate,3}.
    return.
  {label,62}.
    {try_case,{y,2}}.
    {move,{x,1},{y,0}}.
    {move,{x,2},{x,1}}.
    {test,is_eq_exact,
          {f,69},
          [{tr,{x,0},{t_atom,[error,exit,throw]}},{atom,error}]}.
    {move,{x,1},{x,0}}.
    build_stacktrace.
    {move,{x,0},{y,2}}.
    {select_val,{y,0},
                {f,63},
                {list,[{atom,badarg},{f,66},{atom,system_limit},{f,66}]}}.
  {label,63}.
    {test,is_tuple,{f,65},[{y,0}]}.
    {test,test_arity,{f,64},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,66},[{x,0},{atom,badarg}]}.
  {label,64}.
    {test,test_arity,{f,65},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,66},[{x,0},{atom,badkey}]}.
  {label,65}.
    {select_val,{y,0},
                {f,67},
                {list,[{atom,function_clause},{f,66},{atom,undef},{f,66}]}}.
  {label,66}.
    {move,{y,2},{x,2}}.
    {jump,{f,68}}.
  {label,67}.
    {move,nil,{x,2}}.
  {label,68}.
    {move,{y,0},{x,1}}.
    {trim,1,2}.
    {move,{atom,error},{x,0}}.
    {line,[{scope,[0]},{location,"lib/lockstep/generator/build.ex",482}]}.
    {call_ext,3,{extfunc,'Elixir.Exception',normalize,3}}.
    {move,{x,0},{x,2}}.
    {move,{literal,<<"drop/2">>},{x,1}}.
    {move,{y,1},{x,3}}.
    {move,{y,0},{x,0}}.
    {call_ext_last,4,
                   {extfunc,'Elixir.Lockstep.Generator.Malformed',reraise,4},
                   2}.
  {label,69}.
    {bif,raise,{f,0},[{x,1},{y,0}],{x,0}}.
  {label,70}.
    {allocate,0,2}.
    {move,{x,1},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",486}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"drop/2 expects n to be a non-negative integer, got: ">>},
                          {integer,52},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,71}.
    {allocate,0,1}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",489}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"drop/2 expects a generator, got: ">>},
                          {integer,33},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, filter, 2, 73}.
  {label,72}.
    {line,[{location,"lib/lockstep/generator/build.ex",300}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,filter},2}.
  {label,73}.
    {move,nil,{x,2}}.
    {call_only,3,{f,75}}. % filter/3


{function, filter, 3, 75}.
  {label,74}.
    {line,[{location,"lib/lockstep/generator/build.ex",302}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,filter},3}.
  {label,75}.
    {test,is_map,{f,77},[{x,0}]}.
    {get_map_elements,{f,77},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,3}]}}.
    {test,is_eq_exact,{f,77},[{x,3},{atom,'Elixir.Lockstep.Generator'}]}.
    {test,is_function2,{f,77},[{x,1},{integer,1}]}.
    {allocate,3,3}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,1},{y,1}}.
    {move,{x,0},{y,2}}.
    {move,{literal,[max_rejections]},{x,1}}.
    {move,{x,2},{x,0}}.
    {move,{literal,<<"filter/3">>},{x,2}}.
    {line,[{location,"lib/lockstep/generator/build.ex",303}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {move,{integer,1000000},{x,2}}.
    {move,{atom,max_rejections},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",306}]}.
    {call_ext,3,{extfunc,'Elixir.Keyword',get,3}}.
    {move,{x,0},{y,0}}.
    {test,is_integer,{f,76},[{x,0}]}.
    {test,is_lt,{f,76},[{integer,0},{tr,{x,0},{t_integer,any}}]}.
    {test_heap,2,0}.
    {put_list,{y,2},nil,{x,0}}.
    {move,{literal,<<"filter/3">>},{x,1}}.
    {move,{y,0},{y,2}}.
    {trim,1,2}.
    {line,[{location,"lib/lockstep/generator/build.ex",318}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",319}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' =>
                                  'Elixir.Lockstep.Generator.Settings.Filter',
                              max => 1,pred => nil}},
                   {x,1},
                   1,
                   {list,[{atom,max},{y,1},{atom,pred},{y,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",317}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => filter,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   2,
                   {list,[{atom,children},{x,0},{atom,engine},{x,1}]}}.
    {deallocate,2}.
    return.
  {label,76}.
    {trim,3,0}.
    {line,[{location,"lib/lockstep/generator/build.ex",312}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"filter/3 expects :max_rejections to be a positive integer, got: ">>},
                          {integer,64},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",311}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,77}.
    {move,{x,1},{x,2}}.
    {move,{x,0},{x,1}}.
    {move,{literal,<<"filter/3">>},{x,0}}.
    {call_only,3,{f,17}}. % 'bad_wrap!'/3


{function, fork, 2, 79}.
  {label,78}.
    {line,[{location,"lib/lockstep/generator/build.ex",414}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,fork},2}.
  {label,79}.
    {test,is_map,{f,106},[{x,0}]}.
    {get_map_elements,{f,106},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,106},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {get_map_elements,{f,80},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,kind},{x,2}]}}.
    {test,is_eq_exact,{f,80},[{x,2},{atom,independent}]}.
    {test_heap,{alloc,[{words,0},{floats,0},{funs,1}]},2}.
    {make_fun3,{f,79},0,0,{x,2},{list,[]}}.
    {line,[{scope,[6]},{location,"lib/lockstep/generator/build.ex",415}]}.
    {call_ext_only,3,{extfunc,'Elixir.Lockstep.Generator.Independent',fork,3}}.
  {label,80}.
    {get_map_elements,{f,90},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,children},{x,2}]}}.
    {test,is_eq_exact,{f,90},[{x,2},{atom,nil}]}.
    {allocate,3,2}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,0},{y,1}}.
    {'try',{y,2},{f,82}}.
    {get_map_elements,{f,81},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,engine},{x,0}]}}.
    {line,[{scope,[6]},{location,"lib/lockstep/generator/build.ex",418}]}.
    {call,2,{f,110}}. % fork_engine/2
    {move,{x,0},{y,0}}.
    {'%',{var_info,{y,0},[{type,{t_map,any,any}}]}}.
    {move,{y,1},{x,0}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Node',position,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",418}]}.
    {put_map_exact,{f,0},
                   {y,1},
                   {x,0},
                   1,
                   {list,[{atom,buf},
                          nil,
                          {atom,engine},
                          {y,0},
                          {atom,pos},
                          {x,0}]}}.
    {try_end,{y,2}}.
    {deallocate,3}.
    return.
  {label,81}.
    {test_heap,4,0}.
    {put_tuple2,{x,0},{list,[{atom,badkey},{atom,engine},{y,1}]}}.
    {line,[{scope,[5]},{location,"lib/lockstep/generator/build.ex",418}]}.
    {call_ext,1,{extfunc,erlang,error,1}}.
  {label,82}.
    {try_case,{y,2}}.
    {move,{x,1},{y,0}}.
    {move,{x,2},{x,1}}.
    {test,is_eq_exact,
          {f,89},
          [{tr,{x,0},{t_atom,[error,exit,throw]}},{atom,error}]}.
    {move,{x,1},{x,0}}.
    build_stacktrace.
    {move,{x,0},{y,2}}.
    {select_val,{y,0},
                {f,83},
                {list,[{atom,badarg},{f,86},{atom,system_limit},{f,86}]}}.
  {label,83}.
    {test,is_tuple,{f,85},[{y,0}]}.
    {test,test_arity,{f,84},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,86},[{x,0},{atom,badarg}]}.
  {label,84}.
    {test,test_arity,{f,85},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,86},[{x,0},{atom,badkey}]}.
  {label,85}.
    {select_val,{y,0},
                {f,87},
                {list,[{atom,function_clause},{f,86},{atom,undef},{f,86}]}}.
  {label,86}.
    {move,{y,2},{x,2}}.
    {jump,{f,88}}.
  {label,87}.
    {move,nil,{x,2}}.
  {label,88}.
    {move,{y,0},{x,1}}.
    {trim,1,2}.
    {move,{atom,error},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",420}]}.
    {call_ext,3,{extfunc,'Elixir.Exception',normalize,3}}.
    {move,{x,0},{x,2}}.
    {move,{literal,<<"fork/2">>},{x,1}}.
    {move,{y,1},{x,3}}.
    {move,{y,0},{x,0}}.
    {call_ext_last,4,
                   {extfunc,'Elixir.Lockstep.Generator.Malformed',reraise,4},
                   2}.
  {label,89}.
    {bif,raise,{f,0},[{x,1},{y,0}],{x,0}}.
  {label,90}.
    {allocate,4,2}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,1},{y,1}}.
    {move,{x,0},{y,2}}.
    {'try',{y,3},{f,98}}.
    {line,[{scope,[6]},{location,"lib/lockstep/generator/build.ex",424}]}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Driver',settle,1}}.
    {move,{x,0},{y,0}}.
    {test,is_map,{f,91},[{x,0}]}.
    {get_map_elements,{f,91},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,engine},{x,0}]}}.
    {jump,{f,93}}.
  {label,91}.
    {test,is_atom,{f,97},[{y,0}]}.
    {select_val,{y,0},
                {f,92},
                {list,[{atom,false},
                       {f,97},
                       {atom,nil},
                       {f,97},
                       {atom,true},
                       {f,97}]}}.
  {label,92}.
    {move,{atom,engine},{x,1}}.
    {move,{y,0},{x,0}}.
    {line,[{scope,[2]},{location,"lib/lockstep/generator/build.ex",427}]}.
    {apply,0}.
  {label,93}.
    {test,is_map,{f,95},[{x,0}]}.
    {get_map_elements,{f,95},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,strategy},
                             {x,2},
                             {atom,'__struct__'},
                             {x,1}]}}.
    {test,is_eq_exact,
          {f,95},
          [{x,1},{atom,'Elixir.Lockstep.Generator.Settings.Composite'}]}.
    {test,is_eq_exact,{f,95},[{x,2},{atom,random}]}.
    {move,{y,1},{x,1}}.
    {line,[{scope,[2]},{location,"lib/lockstep/generator/build.ex",428}]}.
    {call,2,{f,110}}. % fork_engine/2
    {'%',{var_info,{x,0},[{type,{t_map,any,any}}]}}.
    {test,is_map,
          {f,94},
          [{tr,{y,0},{t_union,{t_atom,any},none,none,none,{t_map,any,any}}}]}.
    {line,[{location,"lib/lockstep/generator/build.ex",428}]}.
    {put_map_exact,{f,0},{y,0},{x,0},1,{list,[{atom,engine},{x,0}]}}.
    {jump,{f,96}}.
  {label,94}.
    {test_heap,3,0}.
    {put_tuple2,{x,0},{list,[{atom,badmap},{y,0}]}}.
    {line,[{scope,[2]},{location,"lib/lockstep/generator/build.ex",428}]}.
    {call_ext,1,{extfunc,erlang,error,1}}.
    {jump,{f,98}}.
  {label,95}.
    {move,{y,0},{x,0}}.
  {label,96}.
    {move,{y,1},{x,1}}.
    {init_yregs,{list,[{y,0},{y,1}]}}.
    {line,[{scope,[2]},{location,"lib/lockstep/generator/build.ex",432}]}.
    {call,2,{f,108}}. % fork_children/2
    {try_end,{y,3}}.
    {deallocate,4}.
    return.
  {label,97}.
    {test_heap,4,0}.
    {put_tuple2,{x,0},{list,[{atom,badkey},{atom,engine},{y,0}]}}.
    {line,[{scope,[2]},{location,"lib/lockstep/generator/build.ex",427}]}.
    {call_ext,1,{extfunc,erlang,error,1}}.
  {label,98}.
    {try_case,{y,3}}.
    {move,{x,1},{y,1}}.
    {move,{x,2},{x,1}}.
    {test,is_eq_exact,
          {f,105},
          [{tr,{x,0},{t_atom,[error,exit,throw]}},{atom,error}]}.
    {move,{x,1},{x,0}}.
    build_stacktrace.
    {move,{x,0},{y,3}}.
    {select_val,{y,1},
                {f,99},
                {list,[{atom,badarg},{f,102},{atom,system_limit},{f,102}]}}.
  {label,99}.
    {test,is_tuple,{f,101},[{y,1}]}.
    {test,test_arity,{f,100},[{y,1},2]}.
    {get_tuple_element,{y,1},0,{x,0}}.
    {test,is_ne_exact,{f,102},[{x,0},{atom,badarg}]}.
  {label,100}.
    {test,test_arity,{f,101},[{y,1},2]}.
    {get_tuple_element,{y,1},0,{x,0}}.
    {test,is_ne_exact,{f,102},[{x,0},{atom,badkey}]}.
  {label,101}.
    {select_val,{y,1},
                {f,103},
                {list,[{atom,function_clause},{f,102},{atom,undef},{f,102}]}}.
  {label,102}.
    {move,{y,3},{x,2}}.
    {jump,{f,104}}.
  {label,103}.
    {move,nil,{x,2}}.
  {label,104}.
    {move,{y,1},{x,1}}.
    {trim,2,2}.
    {move,{atom,error},{x,0}}.
    {line,[{scope,[0]},{location,"lib/lockstep/generator/build.ex",434}]}.
    {call_ext,3,{extfunc,'Elixir.Exception',normalize,3}}.
    {move,{x,0},{x,2}}.
    {move,{literal,<<"fork/2">>},{x,1}}.
    {move,{y,1},{x,3}}.
    {move,{y,0},{x,0}}.
    {call_ext_last,4,
                   {extfunc,'Elixir.Lockstep.Generator.Malformed',reraise,4},
                   2}.
  {label,105}.
    {bif,raise,{f,0},[{x,1},{y,1}],{x,0}}.
  {label,106}.
    {allocate,0,1}.
    {line,[{scope,[6]},{location,"lib/lockstep/generator/build.ex",438}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"fork/2 expects a generator, got: ">>},
                          {integer,33},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, fork_children, 2, 108}.
  {label,107}.
    {line,[{location,"lib/lockstep/generator/build.ex",443}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,fork_children},
               2}.
  {label,108}.
    {'%',{var_info,{x,0},
                   [{type,{t_union,{t_atom,any},
                                   none,none,none,
                                   {t_map,any,any}}}]}}.
    {test,is_map,
          {f,107},
          [{tr,{x,0},{t_union,{t_atom,any},none,none,none,{t_map,any,any}}}]}.
    {get_map_elements,{f,107},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,children},
                             {x,3},
                             {atom,'__struct__'},
                             {x,2}]}}.
    {test,is_eq_exact,{f,107},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {allocate_heap,1,{alloc,[{words,1},{floats,0},{funs,1}]},4}.
    {move,{x,0},{y,0}}.
    {make_fun3,{f,243},0,0,{x,1},{list,[{x,1}]}}.
    {move,{x,3},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",444}]}.
    {call_ext,2,{extfunc,'Elixir.Enum',map,2}}.
    {move,{x,0},{x,1}}.
    {move,{y,0},{x,0}}.
    {call_ext_last,2,
                   {extfunc,'Elixir.Lockstep.Generator.Node',with_children,2},
                   1}.


{function, fork_engine, 2, 110}.
  {label,109}.
    {line,[{location,"lib/lockstep/generator/build.ex",440}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,fork_engine},2}.
  {label,110}.
    {test,is_map,{f,109},[{x,0}]}.
    {get_map_elements,{f,109},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,stream},{x,3},{atom,forks},{x,2}]}}.
    {allocate,4,4}.
    {move,{x,2},{y,0}}.
    {move,{x,3},{y,1}}.
    {move,{x,1},{y,2}}.
    {move,{x,0},{y,3}}.
    {move,{x,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",441}]}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',key,1}}.
    {move,{x,0},{x,1}}.
    {move,{y,1},{x,0}}.
    {move,{y,0},{y,1}}.
    {trim,1,3}.
    {call_ext,2,{extfunc,'Elixir.Lockstep.Generator.Native',fork_stream,2}}.
    {test_heap,2,1}.
    {put_list,{y,1},{y,0},{x,1}}.
    {put_map_exact,{f,0},
                   {y,2},
                   {x,0},
                   2,
                   {list,[{atom,forks},{x,1},{atom,stream},{x,0}]}}.
    {deallocate,3}.
    return.


{function, independent, 1, 112}.
  {label,111}.
    {line,[{location,"lib/lockstep/generator/build.ex",471}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,independent},1}.
  {label,112}.
    {move,nil,{x,1}}.
    {call_only,2,{f,114}}. % independent/2


{function, independent, 2, 114}.
  {label,113}.
    {line,[{location,"lib/lockstep/generator/build.ex",471}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,independent},2}.
  {label,114}.
    {call_ext_only,2,{extfunc,'Elixir.Lockstep.Generator.Independent',new,2}}.


{function, integers, 1, 116}.
  {label,115}.
    {line,[{location,"lib/lockstep/generator/build.ex",333}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,integers},1}.
  {label,116}.
    {move,nil,{x,1}}.
    {call_only,2,{f,118}}. % integers/2


{function, integers, 2, 118}.
  {label,117}.
    {line,[{location,"lib/lockstep/generator/build.ex",335}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,integers},2}.
  {label,118}.
    {test,is_map,{f,123},[{x,0}]}.
    {get_map_elements,{f,123},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,step},
                             {x,5},
                             {atom,last},
                             {x,4},
                             {atom,first},
                             {x,3},
                             {atom,'__struct__'},
                             {x,2}]}}.
    {test,is_eq_exact,{f,123},[{x,2},{atom,'Elixir.Range'}]}.
    {test,is_eq,{f,123},[{x,5},{integer,1}]}.
    {test,is_ge,{f,123},[{x,4},{x,3}]}.
    {allocate,3,5}.
    {move,{x,3},{y,0}}.
    {move,{x,4},{y,1}}.
    {move,{x,1},{y,2}}.
    {move,{x,4},{x,1}}.
    {move,{x,3},{x,0}}.
    {call_ext,2,{extfunc,erlang,min,2}}.
    {move,{y,0},{x,2}}.
    {move,{y,1},{x,1}}.
    {move,{x,0},{y,1}}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,2},{x,0}}.
    {call_ext,2,{extfunc,erlang,max,2}}.
    {line,[{location,"lib/lockstep/generator/build.ex",340}]}.
    {gc_bif,'-',{f,0},1,[{x,0},{y,1}],{x,1}}.
    {move,{x,0},{y,0}}.
    {test,is_ge,{f,119},[{tr,{x,1},number},{integer,18446744073709551616}]}.
    {line,[{location,"lib/lockstep/generator/build.ex",342}]}.
    {gc_bif,'+',{f,0},2,[{tr,{x,1},number},{integer,1}],{x,0}}.
    {trim,3,0}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"integers/2 expects a range of at most 2^64 values, got ">>},
                          {integer,55},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",341}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,119}.
    {line,[{location,"lib/lockstep/generator/build.ex",344}]}.
    {gc_bif,abs,{f,0},0,[{tr,{y,1},number}],{x,0}}.
    {gc_bif,abs,{f,0},1,[{tr,{y,0},number}],{x,1}}.
    {call_ext,2,{extfunc,erlang,max,2}}.
    {test,is_lt,
          {f,120},
          [{integer,42535295865117307932921825928971026432},{x,0}]}.
    {trim,3,0}.
    {move,{literal,<<"integers/2 expects bounds within -2^125..2^125">>},
          {x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",345}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,120}.
    {test,is_nonempty_list,{f,121},[{y,2}]}.
    {get_list,{y,2},{x,0},{x,1}}.
    {test,is_tagged_tuple,{f,121},[{x,0},2,{atom,seed}]}.
    {get_tuple_element,{x,0},1,{x,0}}.
    {test,is_nil,{f,121},[{x,1}]}.
    {test,is_eq_exact,{f,122},[{x,0},{atom,nil}]}.
  {label,121}.
    {move,{literal,[seed]},{x,1}}.
    {move,{literal,<<"integers/2">>},{x,2}}.
    {move,{y,2},{x,0}}.
    {init_yregs,{list,[{y,2}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",542}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',of_opts,1}}.
  {label,122}.
    {test_heap,4,1}.
    {put_tuple2,{x,1},{list,[{atom,integers},{y,1},{y,0}]}}.
    {move,nil,{x,2}}.
    {move,{x,0},{x,3}}.
    {move,{atom,integers},{x,0}}.
    {call_last,4,{f,11},3}. % '__value__'/4
  {label,123}.
    {allocate,0,1}.
    {line,[{location,"lib/lockstep/generator/build.ex",354}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"integers/2 expects a non-empty range with step 1 (first..last), got: ">>},
                          {integer,69},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",353}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, map, 2, 125}.
  {label,124}.
    {line,[{location,"lib/lockstep/generator/build.ex",287}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,map},2}.
  {label,125}.
    {test,is_map,{f,126},[{x,0}]}.
    {get_map_elements,{f,126},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,126},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {test,is_function2,{f,126},[{x,1},{integer,1}]}.
    {allocate_heap,1,2,2}.
    {move,{x,1},{y,0}}.
    {put_list,{x,0},nil,{x,0}}.
    {move,{literal,<<"map/2">>},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",291}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",292}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' =>
                                  'Elixir.Lockstep.Generator.Settings.Map',
                              'fun' => nil}},
                   {x,1},
                   1,
                   {list,[{atom,'fun'},{y,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",290}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => map,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   2,
                   {list,[{atom,children},{x,0},{atom,engine},{x,1}]}}.
    {deallocate,1}.
    return.
  {label,126}.
    {move,{x,1},{x,2}}.
    {move,{x,0},{x,1}}.
    {move,{literal,<<"map/2">>},{x,0}}.
    {call_only,3,{f,17}}. % 'bad_wrap!'/3


{function, mix, 1, 128}.
  {label,127}.
    {line,[{location,"lib/lockstep/generator/build.ex",122}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,mix},1}.
  {label,128}.
    {move,nil,{x,1}}.
    {call_only,2,{f,130}}. % mix/2


{function, mix, 2, 130}.
  {label,129}.
    {line,[{location,"lib/lockstep/generator/build.ex",122}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,mix},2}.
  {label,130}.
    {allocate,5,2}.
    {init_yregs,{list,[{y,0},{y,1},{y,2},{y,3}]}}.
    {move,{x,1},{y,4}}.
    {move,{literal,<<"mix/2">>},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",123}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {swap,{y,4},{x,0}}.
    {move,{literal,<<"mix/2">>},{x,2}}.
    {move,{literal,[until,strategy,seed,weights]},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",124}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {move,{x,0},{y,3}}.
    {move,{atom,any},{x,2}}.
    {move,{atom,until},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",127}]}.
    {call_ext,3,{extfunc,'Elixir.Keyword',get,3}}.
    {move,{x,0},{y,2}}.
    {select_val,{x,0},{f,144},{list,[{atom,all},{f,131},{atom,any},{f,131}]}}.
  {label,131}.
    {move,{atom,strategy},{x,1}}.
    {move,{atom,round_robin},{x,2}}.
    {move,{y,3},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",135}]}.
    {call_ext,3,{extfunc,'Elixir.Keyword',get,3}}.
    {select_val,{x,0},
                {f,143},
                {list,[{atom,random},{f,137},{atom,round_robin},{f,132}]}}.
  {label,132}.
    {move,{atom,weights},{x,1}}.
    {move,{y,3},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",137}]}.
    {call_ext,2,{extfunc,'Elixir.Keyword','has_key?',2}}.
    {select_val,{x,0},
                {f,136},
                {list,[{atom,false},{f,133},{atom,true},{f,135}]}}.
  {label,133}.
    {move,{atom,seed},{x,1}}.
    {move,{y,3},{x,0}}.
    {init_yregs,{list,[{y,3}]}}.
    {call_ext,2,{extfunc,'Elixir.Keyword','has_key?',2}}.
    {select_val,{x,0},
                {f,135},
                {list,[{atom,false},{f,134},{atom,nil},{f,134}]}}.
  {label,134}.
    {move,{atom,round_robin},{x,1}}.
    {move,{y,2},{x,0}}.
    {trim,4,1}.
    {line,[{location,"lib/lockstep/generator/build.ex",146}]}.
    {call,2,{f,39}}. % composite_engine/2
    {'%',
        {var_info,
            {x,0},
            [{type,
                 {t_map,
                     {t_atom,any},
                     {t_union,
                         {t_atom,any},
                         nil,
                         {t_integer,{0,0}},
                         none,none}}}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",143}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => mix,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,children},
                          {y,0},
                          {atom,engine},
                          {x,0},
                          {atom,next_child},
                          {integer,0}]}}.
    {deallocate,1}.
    return.
  {label,135}.
    {trim,5,0}.
    {move,{literal,<<"mix/2: :seed and :weights go with strategy: :random">>},
          {x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",138}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,136}.
    {test_heap,4,1}.
    {put_tuple2,{x,0},{list,[{atom,badbool},{atom,'or'},{x,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",137}]}.
    {call_ext_last,1,{extfunc,erlang,error,1},5}.
  {label,137}.
    {move,{literal,[seed]},{x,1}}.
    {move,{y,3},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",150}]}.
    {call_ext,2,{extfunc,'Elixir.Keyword',take,2}}.
    {test,is_nonempty_list,{f,138},[{x,0}]}.
    {get_list,{x,0},{x,1},{x,2}}.
    {test,is_tagged_tuple,{f,138},[{x,1},2,{atom,seed}]}.
    {get_tuple_element,{x,1},1,{x,1}}.
    {test,is_nil,{f,138},[{x,2}]}.
    {test,is_ne_exact,{f,138},[{x,1},{atom,nil}]}.
    {move,{x,1},{y,1}}.
    {jump,{f,139}}.
  {label,138}.
    {move,{literal,<<"mix/2">>},{x,2}}.
    {move,{literal,[seed]},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",542}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',of_opts,1}}.
    {move,{x,0},{y,1}}.
  {label,139}.
    {move,{atom,weights},{x,1}}.
    {move,{y,3},{x,0}}.
    {init_yregs,{list,[{y,3}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",151}]}.
    {call_ext,2,{extfunc,'Elixir.Keyword',get,2}}.
    {line,[{location,"lib/lockstep/generator/build.ex",152}]}.
    {gc_bif,length,{f,0},1,[{tr,{y,4},{t_list,any,any}}],{x,1}}.
    {move,{x,0},{y,3}}.
    {call,2,{f,146}}. % mix_table/2
    {swap,{y,2},{x,0}}.
    {move,{atom,random},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",155}]}.
    {call,2,{f,39}}. % composite_engine/2
    {'%',
        {var_info,
            {x,0},
            [{type,
                 {t_map,
                     {t_atom,any},
                     {t_union,
                         {t_atom,any},
                         nil,
                         {t_integer,{0,0}},
                         none,none}}}]}}.
    {move,{x,0},{y,0}}.
    {move,{y,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",156}]}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',key,1}}.
    {put_map_exact,{f,0},
                   {y,0},
                   {y,2},
                   1,
                   {list,[{atom,forks},
                          nil,
                          {atom,key},
                          {x,0},
                          {atom,rpos},
                          {integer,0},
                          {atom,stream},
                          {integer,0},
                          {atom,table},
                          {y,2}]}}.
    {select_val,{y,3},
                {f,141},
                {list,[{atom,false},{f,140},{atom,nil},{f,140}]}}.
  {label,140}.
    {move,{y,3},{x,0}}.
    {jump,{f,142}}.
  {label,141}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{y,3},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",169}]}.
    {call_ext,1,{extfunc,'Elixir.Enum',sum,1}}.
  {label,142}.
    {line,[{location,"lib/lockstep/generator/build.ex",165}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => mix,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,children},
                          {y,4},
                          {atom,engine},
                          {y,2},
                          {atom,seed},
                          {y,1},
                          {atom,total},
                          {x,0},
                          {atom,weights},
                          {y,3}]}}.
    {deallocate,5}.
    return.
  {label,143}.
    {trim,5,0}.
    {line,[{location,"lib/lockstep/generator/build.ex",175}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"mix/2 expects :strategy to be :round_robin or :random, got: ">>},
                          {integer,60},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",174}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,144}.
    {trim,5,0}.
    {line,[{location,"lib/lockstep/generator/build.ex",132}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"mix/2 expects :until to be :any or :all, got: ">>},
                          {integer,46},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, mix_table, 2, 146}.
  {label,145}.
    {line,[{location,"lib/lockstep/generator/build.ex",179}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,mix_table},2}.
  {label,146}.
    {'%',{var_info,{x,1},[{type,{t_integer,{0,288230376151711743}}}]}}.
    {test,is_eq_exact,{f,147},[{x,0},{atom,nil}]}.
    return.
  {label,147}.
    {test,is_list,{f,151},[{x,0}]}.
    {gc_bif,length,{f,151},2,[{tr,{x,0},{t_list,any,any}}],{x,2}}.
    {test,is_eq_exact,
          {f,151},
          [{tr,{x,2},{t_integer,{0,288230376151711743}}},
           {tr,{x,1},{t_integer,{0,288230376151711743}}}]}.
    {allocate_heap,1,{alloc,[{words,0},{floats,0},{funs,1}]},1}.
    {move,{x,0},{y,0}}.
    {make_fun3,{f,240},0,0,{x,1},{list,[]}}.
    {'%',{var_info,{x,1},[{fun_type,{t_atom,[false,true]}}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",182}]}.
    {call_ext,2,{extfunc,'Elixir.Enum','all?',2}}.
    {select_val,{x,0},
                {f,150},
                {list,[{atom,false},{f,149},{atom,true},{f,148}]}}.
  {label,148}.
    {move,{y,0},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",183}]}.
    {call_ext,1,{extfunc,'Elixir.Enum',sum,1}}.
    {test,is_integer,{f,149},[{x,0}]}.
    {test,is_ge,{f,149},[{tr,{x,0},{t_integer,any}},{integer,1}]}.
    {test,is_ge,
          {f,149},
          [{integer,18446744073709551615},{tr,{x,0},{t_integer,any}}]}.
    {move,{literal,<<"mix/2">>},{x,1}}.
    {move,{y,0},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",188}]}.
    {call_ext_last,2,
                   {extfunc,'Elixir.Lockstep.Generator.Tables',table_for,2},
                   1}.
  {label,149}.
    {move,{y,0},{x,0}}.
    {trim,1,0}.
    {line,[{location,"lib/lockstep/generator/build.ex",185}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"mix/2 expects :weights to be non-negative integers, not all zero, got: ">>},
                          {integer,71},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",184}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,150}.
    {test_heap,4,1}.
    {put_tuple2,{x,0},{list,[{atom,badbool},{atom,'and'},{x,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",182}]}.
    {call_ext_last,1,{extfunc,erlang,error,1},1}.
  {label,151}.
    {allocate,1,2}.
    {move,{x,0},{y,0}}.
    {move,{x,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",193}]}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {swap,{y,0},{x,0}}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"mix/2 expects :weights to be a list of ">>},
                          {integer,39},
                          {atom,binary},
                          2,8,nil,
                          {y,0},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<" integers, got: ">>},
                          {integer,16},
                          {atom,binary},
                          4,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {trim,1,0}.
    {line,[{location,"lib/lockstep/generator/build.ex",192}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, only_keys, 2, 153}.
  {label,152}.
    {line,[{location,"lib/lockstep/generator/build.ex",475}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,only_keys},2}.
  {label,153}.
    {call_ext_only,2,
                   {extfunc,'Elixir.Lockstep.Generator.Independent',only_keys,
                            2}}.


{function, ops_of, 1, 155}.
  {label,154}.
    {line,[{location,"lib/lockstep/generator/build.ex",114}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,ops_of},1}.
  {label,155}.
    {test,is_nonempty_list,{f,156},[{x,0}]}.
    {get_list,{x,0},{x,1},{x,2}}.
    {test,is_tuple,{f,154},[{x,1}]}.
    {test,test_arity,{f,154},[{x,1},2]}.
    {allocate,1,3}.
    {move,{x,1},{y,0}}.
    {move,{x,2},{x,0}}.
    {call,1,{f,155}}. % ops_of/1
    {'%',{var_info,{x,0},[{type,{t_list,any,nil}}]}}.
    {test_heap,2,1}.
    {get_tuple_element,{y,0},0,{x,1}}.
    {put_list,{x,1},{x,0},{x,0}}.
    {deallocate,1}.
    return.
  {label,156}.
    {test,is_nil,{f,154},[{x,0}]}.
    return.


{function, random, 1, 158}.
  {label,157}.
    {line,[{location,"lib/lockstep/generator/build.ex",42}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,random},1}.
  {label,158}.
    {move,nil,{x,1}}.
    {call_only,2,{f,160}}. % random/2


{function, random, 2, 160}.
  {label,159}.
    {line,[{location,"lib/lockstep/generator/build.ex",42}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,random},2}.
  {label,160}.
    {allocate,3,2}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,1},{y,1}}.
    {move,{x,0},{y,2}}.
    {test,is_list,{f,161},[{x,0}]}.
    {gc_bif,length,{f,161},1,[{tr,{x,0},{t_list,any,any}}],{x,0}}.
    {test,is_ge,
          {f,162},
          [{integer,0},{tr,{x,0},{t_integer,{0,288230376151711743}}}]}.
  {label,161}.
    {move,{literal,<<"ops">>},{x,1}}.
    {move,{literal,<<"random/2">>},{x,2}}.
    {move,{y,2},{x,0}}.
    {init_yregs,{list,[{y,2}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",43}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','bad_ops!',3}}.
    {move,{x,0},{y,2}}.
  {label,162}.
    {test,is_nonempty_list,{f,163},[{y,1}]}.
    {get_list,{y,1},{x,0},{x,1}}.
    {test,is_tagged_tuple,{f,163},[{x,0},2,{atom,seed}]}.
    {get_tuple_element,{x,0},1,{x,0}}.
    {test,is_nil,{f,163},[{x,1}]}.
    {test,is_ne_exact,{f,163},[{x,0},{atom,nil}]}.
    {move,{x,0},{y,1}}.
    {jump,{f,164}}.
  {label,163}.
    {move,{literal,[seed]},{x,1}}.
    {move,{literal,<<"random/2">>},{x,2}}.
    {move,{y,1},{x,0}}.
    {init_yregs,{list,[{y,1}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",542}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',of_opts,1}}.
    {move,{x,0},{y,1}}.
  {label,164}.
    {move,{y,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",51}]}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',key,1}}.
    {move,{x,0},{y,0}}.
    {gc_bif,length,{f,165},0,[{y,2}],{x,0}}.
    {test,is_ge,
          {f,165},
          [{integer,262144},{tr,{x,0},{t_integer,{0,288230376151711743}}}]}.
    {move,{y,2},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",520}]}.
    {call_ext,1,{extfunc,erlang,list_to_tuple,1}}.
    {jump,{f,166}}.
  {label,165}.
    {move,{y,2},{x,0}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Boundary',big_pool,1}}.
  {label,166}.
    {put_map_assoc,{f,0},
                   {literal,#{}},
                   {x,0},
                   1,
                   {list,[{atom,'__struct__'},
                          {atom,'Elixir.Lockstep.Generator.Settings.Leaf'},
                          {atom,forks},
                          nil,
                          {atom,key},
                          {y,0},
                          {atom,pool},
                          {x,0},
                          {atom,stream},
                          {integer,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",48}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => random,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,engine},
                          {x,0},
                          {atom,ops},
                          {y,2},
                          {atom,seed},
                          {y,1}]}}.
    {deallocate,3}.
    return.


{function, select, 2, 168}.
  {label,167}.
    {line,[{location,"lib/lockstep/generator/build.ex",504}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,select},2}.
  {label,168}.
    {test,is_map,{f,169},[{x,0}]}.
    {get_map_elements,{f,169},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,169},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {allocate_heap,1,2,2}.
    {move,{x,1},{y,0}}.
    {put_list,{x,0},nil,{x,0}}.
    {move,{literal,<<"select/2">>},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",506}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {test,is_nonempty_list,{f,170},[{x,0}]}.
    {get_list,{x,0},{x,1},{x,2}}.
    {test,is_nil,{f,170},[{x,2}]}.
    {move,{x,1},{x,0}}.
    {move,{y,0},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",507}]}.
    {call_ext_last,2,{extfunc,'Elixir.Lockstep.Generator.Select',new,2},1}.
  {label,169}.
    {line,[{location,"lib/lockstep/generator/build.ex",510}]}.
    {call_ext_only,2,{extfunc,'Elixir.Lockstep.Generator.Select',new,2}}.
  {label,170}.
    {line,[{location,"lib/lockstep/generator/build.ex",506}]}.
    {badmatch,{x,0}}.


{function, settled, 1, 172}.
  {label,171}.
    {line,[{location,"lib/lockstep/generator/build.ex",226}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,settled},1}.
  {label,172}.
    {'%',{var_info,{x,0},[{type,{t_map,any,any}}]}}.
    {get_map_elements,{f,175},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,buf},{x,2},{atom,'__struct__'},{x,1}]}}.
    {test,is_eq_exact,{f,175},[{x,1},{atom,'Elixir.Lockstep.Generator'}]}.
    {test,is_nil,{f,175},[{x,2}]}.
    {get_map_elements,{f,173},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,engine},{x,1}]}}.
    {test,is_map,{f,173},[{x,1}]}.
    {get_map_elements,{f,173},
                      {tr,{x,1},{t_map,any,any}},
                      {list,[{atom,frontier},
                             {x,1},
                             {atom,'__struct__'},
                             {x,2}]}}.
    {test,is_eq_exact,
          {f,173},
          [{x,2},{atom,'Elixir.Lockstep.Generator.Settings.Composite'}]}.
    {test,is_ne_exact,{f,174},[{x,1},{atom,nil}]}.
  {label,173}.
    {get_map_elements,{f,175},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,children},{x,1}]}}.
    {test,is_eq_exact,{f,175},[{x,1},{atom,nil}]}.
  {label,174}.
    return.
  {label,175}.
    {line,[{location,"lib/lockstep/generator/build.ex",228}]}.
    {call_ext_only,1,{extfunc,'Elixir.Lockstep.Generator.Driver',settle,1}}.


{function, split, 2, 177}.
  {label,176}.
    {line,[{location,"lib/lockstep/generator/build.ex",448}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,split},2}.
  {label,177}.
    {test,is_map,{f,189},[{x,0}]}.
    {get_map_elements,{f,189},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,189},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {get_map_elements,{f,178},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,kind},{x,2}]}}.
    {test,is_eq_exact,{f,178},[{x,2},{atom,independent}]}.
    {test,is_integer,{f,188},[{x,1}]}.
    {test,is_ge,{f,188},[{tr,{x,1},{t_integer,any}},{integer,0}]}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",449}]}.
    {call_ext_only,2,
                   {extfunc,'Elixir.Lockstep.Generator.Independent',split,2}}.
  {label,178}.
    {test,is_integer,{f,188},[{x,1}]}.
    {test,is_ge,{f,188},[{tr,{x,1},{t_integer,any}},{integer,0}]}.
    {test,is_ge,{f,187},[{integer,65536},{tr,{x,1},{t_integer,any}}]}.
    {allocate,3,2}.
    {move,{x,1},{y,0}}.
    {move,{x,0},{y,1}}.
    {'try',{y,2},{f,179}}.
    {line,[{location,"lib/lockstep/generator/build.ex",452}]}.
    {gc_bif,'-',{f,0},2,[{tr,{x,1},{t_integer,any}},{integer,1}],{x,1}}.
    {move,{integer,1},{x,2}}.
    {move,{integer,0},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",452}]}.
    {call_ext,3,{extfunc,'Elixir.Range',new,3}}.
    {test_heap,{alloc,[{words,2},{floats,0},{funs,1}]},1}.
    {make_fun3,{f,238},0,0,{x,2},{list,[{y,1},{y,0}]}}.
    {'%',{var_info,{x,2},[{fun_type,{t_cons,any,any}}]}}.
    {move,nil,{x,1}}.
    {init_yregs,{list,[{y,0}]}}.
    {call_ext,3,{extfunc,'Elixir.Enum',reduce,3}}.
    {call_ext,1,{extfunc,lists,reverse,1}}.
    {try_end,{y,2}}.
    {deallocate,3}.
    return.
  {label,179}.
    {try_case,{y,2}}.
    {move,{x,1},{y,0}}.
    {move,{x,2},{x,1}}.
    {test,is_eq_exact,
          {f,186},
          [{tr,{x,0},{t_atom,[error,exit,throw]}},{atom,error}]}.
    {move,{x,1},{x,0}}.
    build_stacktrace.
    {move,{x,0},{y,2}}.
    {select_val,{y,0},
                {f,180},
                {list,[{atom,badarg},{f,183},{atom,system_limit},{f,183}]}}.
  {label,180}.
    {test,is_tuple,{f,182},[{y,0}]}.
    {test,test_arity,{f,181},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,183},[{x,0},{atom,badarg}]}.
  {label,181}.
    {test,test_arity,{f,182},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,183},[{x,0},{atom,badkey}]}.
  {label,182}.
    {select_val,{y,0},
                {f,184},
                {list,[{atom,function_clause},{f,183},{atom,undef},{f,183}]}}.
  {label,183}.
    {move,{y,2},{x,2}}.
    {jump,{f,185}}.
  {label,184}.
    {move,nil,{x,2}}.
  {label,185}.
    {move,{y,0},{x,1}}.
    {trim,1,2}.
    {move,{atom,error},{x,0}}.
    {line,[{scope,[0]},{location,"lib/lockstep/generator/build.ex",454}]}.
    {call_ext,3,{extfunc,'Elixir.Exception',normalize,3}}.
    {move,{x,0},{x,2}}.
    {move,{literal,<<"split/2">>},{x,1}}.
    {move,{y,1},{x,3}}.
    {move,{y,0},{x,0}}.
    {call_ext_last,4,
                   {extfunc,'Elixir.Lockstep.Generator.Malformed',reraise,4},
                   2}.
  {label,186}.
    {bif,raise,{f,0},[{x,1},{y,0}],{x,0}}.
  {label,187}.
    {allocate,1,2}.
    {move,{x,1},{y,0}}.
    {move,{integer,65536},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",459}]}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {swap,{y,0},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",460}]}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",459}]}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"split/2 expects n to be at most ">>},
                          {integer,32},
                          {atom,binary},
                          2,8,nil,
                          {y,0},
                          {atom,all},
                          {atom,string},
                          0,8,nil,
                          {string,<<" (one generator per worker, built at once; fork/2 gives a worker's stream by its key), got: ">>},
                          {integer,92},
                          {atom,binary},
                          5,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {trim,1,0}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",458}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,188}.
    {allocate,0,2}.
    {move,{x,1},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",464}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"split/2 expects n to be a non-negative integer, got: ">>},
                          {integer,53},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,189}.
    {allocate,0,1}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",467}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"split/2 expects a generator, got: ">>},
                          {integer,34},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, split_weights, 1, 191}.
  {label,190}.
    {line,[{location,"lib/lockstep/generator/build.ex",94}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,split_weights},
               1}.
  {label,191}.
    {allocate,2,1}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,0},{y,1}}.
    {move,{integer,0},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",95}]}.
    {call,2,{f,205}}. % 'total_weight!'/2
    {'%',{var_info,{x,0},[{type,{t_integer,any}}]}}.
    {move,{x,0},{y,0}}.
    {move,{y,1},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",96}]}.
    {call,1,{f,155}}. % ops_of/1
    {'%',{var_info,{x,0},[{type,{t_list,any,nil}}]}}.
    {swap,{y,1},{x,0}}.
    {call,1,{f,222}}. % weights_of/1
    {'%',{var_info,{x,0},[{type,{t_list,any,nil}}]}}.
    {test_heap,4,1}.
    {put_tuple2,{x,0},{list,[{y,1},{x,0},{y,0}]}}.
    {deallocate,2}.
    return.


{function, take, 2, 193}.
  {label,192}.
    {line,[{location,"lib/lockstep/generator/build.ex",398}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,take},2}.
  {label,193}.
    {test,is_map,{f,203},[{x,0}]}.
    {get_map_elements,{f,203},
                      {tr,{x,0},{t_map,any,any}},
                      {list,[{atom,'__struct__'},{x,2}]}}.
    {test,is_eq_exact,{f,203},[{x,2},{atom,'Elixir.Lockstep.Generator'}]}.
    {test,is_integer,{f,202},[{x,1}]}.
    {test,is_ge,{f,202},[{tr,{x,1},{t_integer,any}},{integer,0}]}.
    {allocate,3,2}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,0},{y,1}}.
    {'try',{y,2},{f,194}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",399}]}.
    {call_ext,2,{extfunc,'Elixir.Lockstep.Generator.Node',take,2}}.
    {try_end,{y,2}}.
    {deallocate,3}.
    return.
  {label,194}.
    {try_case,{y,2}}.
    {move,{x,1},{y,0}}.
    {move,{x,2},{x,1}}.
    {test,is_eq_exact,
          {f,201},
          [{tr,{x,0},{t_atom,[error,exit,throw]}},{atom,error}]}.
    {move,{x,1},{x,0}}.
    build_stacktrace.
    {move,{x,0},{y,2}}.
    {select_val,{y,0},
                {f,195},
                {list,[{atom,badarg},{f,198},{atom,system_limit},{f,198}]}}.
  {label,195}.
    {test,is_tuple,{f,197},[{y,0}]}.
    {test,test_arity,{f,196},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,198},[{x,0},{atom,badarg}]}.
  {label,196}.
    {test,test_arity,{f,197},[{y,0},2]}.
    {get_tuple_element,{y,0},0,{x,0}}.
    {test,is_ne_exact,{f,198},[{x,0},{atom,badkey}]}.
  {label,197}.
    {select_val,{y,0},
                {f,199},
                {list,[{atom,function_clause},{f,198},{atom,undef},{f,198}]}}.
  {label,198}.
    {move,{y,2},{x,2}}.
    {jump,{f,200}}.
  {label,199}.
    {move,nil,{x,2}}.
  {label,200}.
    {move,{y,0},{x,1}}.
    {trim,1,2}.
    {move,{atom,error},{x,0}}.
    {line,[{scope,[0]},{location,"lib/lockstep/generator/build.ex",401}]}.
    {call_ext,3,{extfunc,'Elixir.Exception',normalize,3}}.
    {move,{x,0},{x,2}}.
    {move,{literal,<<"take/2">>},{x,1}}.
    {move,{y,1},{x,3}}.
    {move,{y,0},{x,0}}.
    {call_ext_last,4,
                   {extfunc,'Elixir.Lockstep.Generator.Malformed',reraise,4},
                   2}.
  {label,201}.
    {bif,raise,{f,0},[{x,1},{y,0}],{x,0}}.
  {label,202}.
    {allocate,0,2}.
    {move,{x,1},{x,0}}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",405}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"take/2 expects n to be a non-negative integer, got: ">>},
                          {integer,52},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,203}.
    {allocate,0,1}.
    {line,[{scope,[3]},{location,"lib/lockstep/generator/build.ex",409}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"take/2 expects a generator, got: ">>},
                          {integer,33},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, 'total_weight!', 2, 205}.
  {label,204}.
    {line,[{location,"lib/lockstep/generator/build.ex",99}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,'total_weight!'},
               2}.
  {label,205}.
    {'%',{var_info,{x,1},[{type,{t_integer,any}}]}}.
    {test,is_nonempty_list,{f,208},[{x,0}]}.
    {get_list,{x,0},{x,2},{x,0}}.
    {test,is_tuple,{f,207},[{x,2}]}.
    {test,test_arity,{f,207},[{x,2},2]}.
    {get_tuple_element,{x,2},1,{x,2}}.
    {test,is_integer,{f,206},[{x,2}]}.
    {test,is_ge,{f,206},[{tr,{x,2},{t_integer,any}},{integer,0}]}.
    {line,[{location,"lib/lockstep/generator/build.ex",100}]}.
    {gc_bif,'+',
            {f,0},
            3,
            [{tr,{x,1},{t_integer,any}},{tr,{x,2},{t_integer,any}}],
            {x,1}}.
    {call_only,2,{f,205}}. % 'total_weight!'/2
  {label,206}.
    {allocate,0,3}.
    {move,{x,2},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",106}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"weighted/2 expects each weight to be a non-negative integer, got: ">>},
                          {integer,66},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",105}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,207}.
    {allocate,0,3}.
    {move,{x,2},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",111}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"weighted/2 expects weighted_ops to be {op, weight} tuples, got: ">>},
                          {integer,64},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",110}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,208}.
    {test,is_nil,{f,204},[{x,0}]}.
    {move,{x,1},{x,0}}.
    return.


{function, weighted, 1, 210}.
  {label,209}.
    {line,[{location,"lib/lockstep/generator/build.ex",65}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,weighted},1}.
  {label,210}.
    {move,nil,{x,1}}.
    {call_only,2,{f,212}}. % weighted/2


{function, weighted, 2, 212}.
  {label,211}.
    {line,[{location,"lib/lockstep/generator/build.ex",65}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,weighted},2}.
  {label,212}.
    {allocate,6,2}.
    {init_yregs,{list,[{y,0},{y,1},{y,2},{y,3}]}}.
    {move,{x,1},{y,4}}.
    {move,{x,0},{y,5}}.
    {test,is_list,{f,213},[{x,0}]}.
    {gc_bif,length,{f,213},1,[{tr,{x,0},{t_list,any,any}}],{x,0}}.
    {test,is_ge,
          {f,214},
          [{integer,0},{tr,{x,0},{t_integer,{0,288230376151711743}}}]}.
  {label,213}.
    {move,{literal,<<"weighted_ops">>},{x,1}}.
    {move,{literal,<<"weighted/2">>},{x,2}}.
    {move,{y,5},{x,0}}.
    {init_yregs,{list,[{y,5}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",66}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','bad_ops!',3}}.
    {move,{x,0},{y,5}}.
  {label,214}.
    {test,is_nonempty_list,{f,215},[{y,4}]}.
    {get_list,{y,4},{x,0},{x,1}}.
    {test,is_tagged_tuple,{f,215},[{x,0},2,{atom,seed}]}.
    {get_tuple_element,{x,0},1,{x,0}}.
    {test,is_nil,{f,215},[{x,1}]}.
    {test,is_ne_exact,{f,215},[{x,0},{atom,nil}]}.
    {move,{x,0},{y,4}}.
    {jump,{f,216}}.
  {label,215}.
    {move,{literal,[seed]},{x,1}}.
    {move,{literal,<<"weighted/2">>},{x,2}}.
    {move,{y,4},{x,0}}.
    {init_yregs,{list,[{y,4}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",542}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',of_opts,1}}.
    {move,{x,0},{y,4}}.
  {label,216}.
    {move,{y,5},{x,0}}.
    {init_yregs,{list,[{y,5}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",68}]}.
    {call,1,{f,191}}. % split_weights/1
    {'%',{var_info,{x,0},
                   [{type,{t_tuple,3,true,
                                   #{1 => {t_list,any,nil},
                                     2 => {t_list,any,nil},
                                     3 => {t_integer,any}}}}]}}.
    {get_tuple_element,{x,0},2,{y,5}}.
    {move,{x,0},{y,3}}.
    {test,is_eq_exact,{f,217},[{tr,{y,5},{t_integer,any}},{integer,0}]}.
    {trim,6,0}.
    {move,{literal,<<"weighted/2 expects at least one positive weight, got all zero">>},
          {x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",72}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,217}.
    {test,is_lt,
          {f,218},
          [{integer,18446744073709551615},{tr,{y,5},{t_integer,any}}]}.
    {move,{y,5},{x,0}}.
    {trim,6,0}.
    {line,[{location,"lib/lockstep/generator/build.ex",76}]}.
    {call_ext,1,{extfunc,'Elixir.String.Chars',to_string,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"weighted/2 expects weights adding up to at most 2^64 - 1, got ">>},
                          {integer,62},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",75}]}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.
  {label,218}.
    {move,{y,4},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",86}]}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',key,1}}.
    {get_tuple_element,{y,3},1,{y,2}}.
    {move,{x,0},{y,1}}.
    {move,{y,2},{x,0}}.
    {move,{literal,<<"weighted/2">>},{x,1}}.
    {call_ext,2,{extfunc,'Elixir.Lockstep.Generator.Tables',table_for,2}}.
    {get_tuple_element,{y,3},0,{y,3}}.
    {line,[{location,"lib/lockstep/generator/build.ex",526}]}.
    {gc_bif,length,{f,0},1,[{tr,{y,3},{t_list,any,nil}}],{x,1}}.
    {move,{x,0},{y,0}}.
    {test,is_ge,
          {f,219},
          [{integer,262144},{tr,{x,1},{t_integer,{0,288230376151711743}}}]}.
    {move,{y,3},{x,0}}.
    {call_ext,1,{extfunc,erlang,list_to_tuple,1}}.
    {jump,{f,220}}.
  {label,219}.
    {move,{y,3},{x,0}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Boundary',big_pool,1}}.
  {label,220}.
    {put_map_assoc,{f,0},
                   {literal,#{}},
                   {x,0},
                   1,
                   {list,[{atom,'__struct__'},
                          {atom,'Elixir.Lockstep.Generator.Settings.Weighted'},
                          {atom,forks},
                          nil,
                          {atom,key},
                          {y,1},
                          {atom,pool},
                          {x,0},
                          {atom,stream},
                          {integer,0},
                          {atom,table},
                          {y,0}]}}.
    {line,[{location,"lib/lockstep/generator/build.ex",81}]}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => weighted,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,engine},
                          {x,0},
                          {atom,ops},
                          {y,3},
                          {atom,seed},
                          {y,4},
                          {atom,total},
                          {y,5},
                          {atom,weights},
                          {y,2}]}}.
    {deallocate,6}.
    return.


{function, weights_of, 1, 222}.
  {label,221}.
    {line,[{location,"lib/lockstep/generator/build.ex",117}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,weights_of},1}.
  {label,222}.
    {test,is_nonempty_list,{f,223},[{x,0}]}.
    {get_list,{x,0},{x,1},{x,2}}.
    {test,is_tuple,{f,221},[{x,1}]}.
    {test,test_arity,{f,221},[{x,1},2]}.
    {allocate,1,3}.
    {move,{x,1},{y,0}}.
    {move,{x,2},{x,0}}.
    {call,1,{f,222}}. % weights_of/1
    {'%',{var_info,{x,0},[{type,{t_list,any,nil}}]}}.
    {test_heap,2,1}.
    {get_tuple_element,{y,0},1,{x,1}}.
    {put_list,{x,1},{x,0},{x,0}}.
    {deallocate,1}.
    return.
  {label,223}.
    {test,is_nil,{f,221},[{x,0}]}.
    return.


{function, zip, 1, 225}.
  {label,224}.
    {line,[{location,"lib/lockstep/generator/build.ex",275}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,zip},1}.
  {label,225}.
    {allocate,1,1}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{literal,<<"zip/1">>},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",276}]}.
    {call,2,{f,33}}. % 'children!'/2
    {'%',{var_info,{x,0},[{type,{t_list,any,any}}]}}.
    {move,{x,0},{y,0}}.
    {move,{atom,zip},{x,1}}.
    {move,{atom,any},{x,0}}.
    {line,[{location,"lib/lockstep/generator/build.ex",277}]}.
    {call,2,{f,39}}. % composite_engine/2
    {'%',
        {var_info,
            {x,0},
            [{type,
                 {t_map,
                     {t_atom,any},
                     {t_union,
                         {t_atom,any},
                         nil,
                         {t_integer,{0,0}},
                         none,none}}}]}}.
    {put_map_exact,{f,0},
                   {literal,#{'__struct__' => 'Elixir.Lockstep.Generator',
                              buf => [],children => nil,engine => nil,
                              kind => zip,next_child => nil,ops => nil,
                              pos => 0,remaining => infinity,seed => nil,
                              total => nil,weights => nil}},
                   {x,0},
                   1,
                   {list,[{atom,children},{y,0},{atom,engine},{x,0}]}}.
    {deallocate,1}.
    return.


{function, zipf, 1, 227}.
  {label,226}.
    {line,[{location,"lib/lockstep/generator/build.ex",359}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,zipf},1}.
  {label,227}.
    {move,nil,{x,1}}.
    {call_only,2,{f,229}}. % zipf/2


{function, zipf, 2, 229}.
  {label,228}.
    {line,[{location,"lib/lockstep/generator/build.ex",361}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,zipf},2}.
  {label,229}.
    {test,is_integer,{f,232},[{x,0}]}.
    {test,is_ge,{f,232},[{tr,{x,0},{t_integer,any}},{integer,1}]}.
    {test,is_ge,
          {f,232},
          [{integer,4503599627370496},{tr,{x,0},{t_integer,any}}]}.
    {allocate,2,2}.
    {init_yregs,{list,[{y,0}]}}.
    {move,{x,0},{y,1}}.
    {move,{literal,<<"zipf/2">>},{x,2}}.
    {move,{x,1},{x,0}}.
    {move,{literal,[skew,seed]},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",362}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {move,{x,0},{y,0}}.
    {move,{float,1.0},{x,2}}.
    {move,{atom,skew},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",363}]}.
    {call_ext,3,{extfunc,'Elixir.Keyword',get,3}}.
    {move,{literal,<<":skew">>},{x,2}}.
    {move,{literal,<<"zipf/2">>},{x,1}}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','skew!',3}}.
    {swap,{y,0},{x,0}}.
    {move,{literal,[seed]},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",364}]}.
    {call_ext,2,{extfunc,'Elixir.Keyword',take,2}}.
    {test,is_nonempty_list,{f,230},[{x,0}]}.
    {get_list,{x,0},{x,1},{x,2}}.
    {test,is_tagged_tuple,{f,230},[{x,1},2,{atom,seed}]}.
    {get_tuple_element,{x,1},1,{x,1}}.
    {test,is_nil,{f,230},[{x,2}]}.
    {test,is_ne_exact,{f,230},[{x,1},{atom,nil}]}.
    {move,{x,1},{x,0}}.
    {jump,{f,231}}.
  {label,230}.
    {move,{literal,<<"zipf/2">>},{x,2}}.
    {move,{literal,[seed]},{x,1}}.
    {line,[{location,"lib/lockstep/generator/build.ex",542}]}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Options','keyword!',3}}.
    {call_ext,1,{extfunc,'Elixir.Lockstep.Generator.Seed',of_opts,1}}.
  {label,231}.
    {test_heap,4,1}.
    {put_tuple2,{x,1},{list,[{atom,zipf},{y,1},{y,0}]}}.
    {move,nil,{x,2}}.
    {move,{x,0},{x,3}}.
    {move,{atom,zipf},{x,0}}.
    {call_last,4,{f,11},2}. % '__value__'/4
  {label,232}.
    {allocate,0,1}.
    {line,[{location,"lib/lockstep/generator/build.ex",368}]}.
    {call_ext,1,{extfunc,'Elixir.Kernel',inspect,1}}.
    {bs_create_bin,{f,0},
                   0,1,1,
                   {x,0},
                   {list,[{atom,string},
                          0,8,nil,
                          {string,<<"zipf/2 expects n to be an integer in 1..2^52, got: ">>},
                          {integer,51},
                          {atom,binary},
                          2,8,nil,
                          {x,0},
                          {atom,all}]}}.
    {call_ext,1,{extfunc,'Elixir.ArgumentError',exception,1}}.
    {call_ext_last,1,{extfunc,erlang,error,1},0}.


{function, module_info, 0, 234}.
  {label,233}.
    {line,[]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,module_info},0}.
  {label,234}.
    {move,{atom,'Elixir.Lockstep.Generator.Build'},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 236}.
  {label,235}.
    {line,[]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},{atom,module_info},1}.
  {label,236}.
    {move,{x,0},{x,1}}.
    {move,{atom,'Elixir.Lockstep.Generator.Build'},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.


{function, '-split/2-fun-0-', 4, 238}.
  {label,237}.
    {line,[{location,"lib/lockstep/generator/build.ex",452}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,'-split/2-fun-0-'},
               4}.
  {label,238}.
    {'%',{var_info,{x,2},[{type,{t_map,any,any}}]}}.
    {'%',{var_info,{x,3},[{type,{t_integer,any}}]}}.
    {allocate,3,4}.
    {move,{x,0},{y,0}}.
    {move,{x,1},{y,1}}.
    {move,{x,3},{y,2}}.
    {move,{x,0},{x,1}}.
    {move,{x,2},{x,0}}.
    {call,2,{f,79}}. % fork/2
    {move,{y,0},{x,2}}.
    {move,{y,2},{x,1}}.
    {move,{y,1},{y,2}}.
    {trim,2,1}.
    {call_ext,3,{extfunc,'Elixir.Lockstep.Generator.Unique',spread,3}}.
    {test_heap,2,1}.
    {put_list,{x,0},{y,0},{x,0}}.
    {deallocate,1}.
    return.


{function, '-mix_table/2-fun-0-', 1, 240}.
  {label,239}.
    {line,[{location,"lib/lockstep/generator/build.ex",182}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,'-mix_table/2-fun-0-'},
               1}.
  {label,240}.
    {test,is_integer,{f,241},[{x,0}]}.
    {bif,'>=',{f,0},[{tr,{x,0},{t_integer,any}},{integer,0}],{x,0}}.
    return.
  {label,241}.
    {move,{atom,false},{x,0}}.
    return.


{function, '-fork_children/2-fun-0-', 2, 243}.
  {label,242}.
    {line,[{location,"lib/lockstep/generator/build.ex",444}]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,'-fork_children/2-fun-0-'},
               2}.
  {label,243}.
    {call_only,2,{f,79}}. % fork/2


{function, '-inlined-__info__/1-', 1, 245}.
  {label,244}.
    {line,[]}.
    {func_info,{atom,'Elixir.Lockstep.Generator.Build'},
               {atom,'-inlined-__info__/1-'},
               1}.
  {label,245}.
    {jump,{f,244}}.
