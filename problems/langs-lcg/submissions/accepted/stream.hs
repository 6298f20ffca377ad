-- Haskell: reads everything with interact, strict loop compiled with -O2.
{-# LANGUAGE BangPatterns #-}
import Data.Bits (xor, (.&.))

run :: Int -> Int -> Int -> Int
run 0 _ !r = r
run k !x !r = let x' = (x * 1103515245 + 12345) .&. 0x7FFFFFFF in run (k - 1) x' (r `xor` x')

main :: IO ()
main = interact $ \s -> case map read (words s) of
  [n, x0] -> show (run n x0 0) ++ "\n"
  _ -> error "bad input"
