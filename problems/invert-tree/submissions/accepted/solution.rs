// Definition for a binary tree node.
// #[derive(Debug, PartialEq, Eq)]
// pub struct TreeNode {
//   pub val: i32,
//   pub left: Option<Rc<RefCell<TreeNode>>>,
//   pub right: Option<Rc<RefCell<TreeNode>>>,
// }
use std::rc::Rc;
use std::cell::RefCell;
impl Solution {
    pub fn invert_tree(root: Option<Rc<RefCell<TreeNode>>>) -> Option<Rc<RefCell<TreeNode>>> {
        // A stack rather than recursion: a deep tree cannot overflow it.
        let mut stack = vec![root.clone()];
        while let Some(node) = stack.pop() {
            if let Some(node) = node {
                let mut node = node.borrow_mut();
                let (left, right) = (node.left.take(), node.right.take());
                node.left = right.clone();
                node.right = left.clone();
                stack.push(left);
                stack.push(right);
            }
        }
        root
    }
}
