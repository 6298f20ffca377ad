import qualified Data.Map.Strict as Map

-- One pass: each value looks for its complement among the values before it.
twoSum :: [Int] -> Int -> [Int]
twoSum nums target = go Map.empty (zip [0 ..] nums)
  where
    go _ [] = []
    go seen ((i, x) : rest) = case Map.lookup (target - x) seen of
      Just j -> [i, j]
      Nothing -> go (Map.insert x i seen) rest
