{-# LANGUAGE BangPatterns #-}
-- Kadane's algorithm; Int is 64-bit, so the sums do not overflow.
maxSubArray :: [Int] -> Int
maxSubArray [] = 0
maxSubArray (x : xs) = go x x xs
  where
    go !best _ [] = best
    go !best !cur (y : ys) = let cur' = max y (cur + y) in go (max best cur') cur' ys
