-- data ListNode = ListNode Int (Maybe ListNode), from the judge.
reverseList :: Maybe ListNode -> Maybe ListNode
reverseList = go Nothing
  where
    go acc Nothing = acc
    go acc (Just (ListNode v next)) = go (Just (ListNode v acc)) next
